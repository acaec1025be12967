package dev.switchboard.hub.entity;

/**
 * A user's presence changed on this instance alone (first or last connection here, or a status set here). The
 * cluster turns these into {@link PresenceChanged}, the user's presence over every instance; alone, they are the same.
 * {@code opened}/{@code closed} tell a first and a last connection from a status the user set.
 */
public record LocalPresenceChanged(PresenceChanged change, Kind kind) {

    public enum Kind { OPENED, CLOSED, SET }
}
