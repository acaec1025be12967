package dev.switchboard.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 instants in UTC with milliseconds ({@code 2024-01-15T10:30:00.000Z}), as the specs' examples write them. */
public final class WireTime {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireTime() {
    }

    public static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    public static String now() {
        return iso(Instant.now());
    }
}
