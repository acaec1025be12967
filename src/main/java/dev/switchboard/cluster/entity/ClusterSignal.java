package dev.switchboard.cluster.entity;

/**
 * A short notice from another instance, fired here as a CDI event (for instance {@code rtc.mailbox}: a direct message
 * for {@code subject} was stored; whoever has a connection of that user claims it). Never carries what a client sees.
 */
public record ClusterSignal(String name, String subject, String from) {
}
