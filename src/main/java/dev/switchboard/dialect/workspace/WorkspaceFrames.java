package dev.switchboard.dialect.workspace;

import dev.switchboard.chat.entity.ChatMessagePosted;
import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.hub.entity.Frame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The workspace's server messages (spec/workspace.md, Server → Client), each encoded once. */
final class WorkspaceFrames {

    /** The spec's timestamps: {@code 2026-01-16T10:00:00.000Z}, always with milliseconds. */
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private WorkspaceFrames() {
    }

    static Frame connected(String userId, String username, Instant now, int connectedUsers) {
        return Frame.of(JsonText.object()
                .add("type", "connected")
                .add("userId", userId)
                .add("username", username)
                .add("timestamp", ISO_MILLIS.format(now))
                .add("connectedUsers", connectedUsers)
                .build().toString());
    }

    static Frame messageNew(ChatMessagePosted m) {
        return Frame.of(JsonText.object()
                .add("type", "message:new")
                .add("data", JsonText.object()
                        .add("id", m.id())
                        .add("userId", m.userId())
                        .add("username", m.username())
                        .add("text", m.text())
                        .add("createdAt", ISO_MILLIS.format(m.createdAt())))
                .build().toString());
    }

    static Frame presence(String userId, String username, String status) {
        return Frame.of(JsonText.object()
                .add("type", "presence:update")
                .add("data", JsonText.object().add("userId", userId).add("username", username).add("status", status))
                .build().toString());
    }

    static Frame typing(String userId, String username, boolean isTyping) {
        return Frame.of(JsonText.object()
                .add("type", "typing:indicator")
                .add("data", JsonText.object().add("userId", userId).add("username", username).add("isTyping", isTyping))
                .build().toString());
    }

    /** The spec has no error message; this one keeps its {@code {type, data}} shape. */
    static String error(String code, String message) {
        return JsonText.object()
                .add("type", "error")
                .add("data", JsonText.object().add("code", code).add("message", message))
                .build().toString();
    }

    /** Every refusal of the workspace dialect is an {@link #error} frame. */
    static Frame refused(Decoded.Refused<?> r) {
        return Frame.of(error(r.code(), r.text()));
    }
}
