package dev.switchboard.cluster.entity;

import java.util.List;

/** One instance of the deployment: its peer id, name, where it listens and what it offers. */
public record Member(String id, String name, String address, int port, List<String> capabilities, String version) {
}
