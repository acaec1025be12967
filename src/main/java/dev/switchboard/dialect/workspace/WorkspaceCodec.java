package dev.switchboard.dialect.workspace;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Set;

/**
 * Decodes the workspace's client messages ({@code {"type": ..., ...fields}}, spec/workspace.md) into records,
 * as a {@link Decoded}: the message or the error frame's code and text.
 */
final class WorkspaceCodec {

    sealed interface Inbound permits Send, Presence, Typing {
    }

    record Send(String text) implements Inbound {
    }

    record Presence(String status) implements Inbound {
    }

    record Typing(boolean isTyping) implements Inbound {
    }

    static final String INVALID_JSON = "INVALID_JSON";
    static final String INVALID_MESSAGE = "INVALID_MESSAGE";
    static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";
    static final String INVALID_STATUS = "INVALID_STATUS";
    static final String MESSAGE_TOO_LONG = "MESSAGE_TOO_LONG";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String SERVER_BUSY = "SERVER_BUSY";
    static final String AUTH_REQUIRED = "AUTH_REQUIRED";
    static final String USERNAME_REQUIRED = "USERNAME_REQUIRED";
    static final String INVALID_USERNAME = "INVALID_USERNAME";
    static final String USERNAME_TAKEN = "USERNAME_TAKEN";
    static final String TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS";

    static final Set<String> STATUSES = Set.of("online", "away", "busy", "offline");
    static final int MAX_USERNAME = 64;

    private WorkspaceCodec() {
    }

    static Decoded<Inbound> decode(String frame, int maxTextLength) {
        JsonValue value;
        try {
            value = JsonText.parse(frame);
        } catch (JsonException e) {
            return Decoded.refused(INVALID_JSON, "Malformed JSON");
        }
        if (!(value instanceof JsonObject object)) {
            return Decoded.refused(INVALID_MESSAGE, "A message must be a JSON object with a \"type\"");
        }
        if (!(object.get("type") instanceof JsonString type)) {
            return Decoded.refused(INVALID_MESSAGE, "Field 'type' must be a string");
        }
        switch (type.getString()) {
            case "message:send": {
                if (!(object.get("text") instanceof JsonString text)) {
                    return Decoded.refused(INVALID_MESSAGE, "message:send needs a string 'text'");
                }
                String clean = withoutControls(text.getString());
                if (clean.isBlank()) {
                    return Decoded.refused(INVALID_MESSAGE, "'text' must not be empty");
                }
                if (clean.codePointCount(0, clean.length()) > maxTextLength) {
                    return Decoded.refused(MESSAGE_TOO_LONG, "'text' is longer than " + maxTextLength + " characters");
                }
                return Decoded.message(new Send(clean));
            }
            case "presence:update": {
                if (!(object.get("status") instanceof JsonString status) || !STATUSES.contains(status.getString())) {
                    return Decoded.refused(INVALID_STATUS, "'status' must be one of online, away, busy, offline");
                }
                return Decoded.message(new Presence(status.getString()));
            }
            case "typing:indicator": {
                JsonValue typing = object.get("isTyping");
                if (typing != JsonValue.TRUE && typing != JsonValue.FALSE) {
                    return Decoded.refused(INVALID_MESSAGE, "typing:indicator needs a boolean 'isTyping'");
                }
                return Decoded.message(new Typing(typing == JsonValue.TRUE));
            }
            default:
                return Decoded.refused(UNKNOWN_TYPE, "Unknown message type: " + truncate(type.getString()));
        }
    }

    /**
     * Drops control characters other than tab and line breaks: they have no place in a chat line, and NUL cannot
     * be stored in a PostgreSQL text column at all. The rest is kept verbatim (clients escape when rendering).
     */
    static String withoutControls(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && !isDropped(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder b = new StringBuilder(n).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!isDropped(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isDropped(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }

    /** @return null when the anonymous name is acceptable, else why not */
    static String usernameProblem(String username) {
        if (username.length() > MAX_USERNAME || !username.matches("[\\p{L}\\p{N}_.\\-]+")) {
            return "username must be 1 to " + MAX_USERNAME + " letters, digits, '_', '.' or '-'";
        }
        return null;
    }

    static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
