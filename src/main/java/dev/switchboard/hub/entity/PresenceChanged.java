package dev.switchboard.hub.entity;

import java.time.Instant;

/**
 * A user's presence changed: the first connection opened ({@code online}), the last one closed ({@code offline},
 * {@code lastSeen} = then), or the user set a status. {@code metadataJson} is a JSON object as text.
 */
public record PresenceChanged(String user, String status, Instant lastSeen, String metadataJson) {

    public static final String ONLINE = "online";
    public static final String AWAY = "away";
    public static final String OFFLINE = "offline";
}
