package dev.switchboard.chat.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.chat.control.ChatMessages;
import dev.switchboard.chat.entity.ChatMessagePosted;
import dev.switchboard.common.ApiErrors;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/workspace/messages?before=&limit=}: the workspace chat history, newest first, for any valid
 * token. {@code before} is a message id (exclusive) or an ISO-8601 time; the next page is
 * {@code before=<the last id of this page>} while {@code hasMore} is true.
 */
@Path("workspace/messages")
@Produces(MediaType.APPLICATION_JSON)
public class ChatResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Inject
    ChatMessages messages;

    @GET
    public JsonObject page(@QueryParam("before") String before, @QueryParam("limit") String limit) {
        long position = position(before);
        int n = limit(limit);
        // one more than asked tells whether another page exists without a COUNT
        List<ChatMessagePosted> found = messages.before(position, n + 1);
        JsonArrayBuilder page = JsonText.array();
        found.stream().limit(n).forEach(m -> page.add(JsonText.object()
                .add("id", m.id())
                .add("userId", m.userId())
                .add("username", m.username())
                .add("text", m.text())
                .add("createdAt", ISO_MILLIS.format(m.createdAt()))));
        return JsonText.object().add("messages", page).add("hasMore", found.size() > n).build();
    }

    static long position(String before) {
        if (before == null || before.isBlank()) {
            return Long.MAX_VALUE;
        }
        String b = before.strip();
        if (b.startsWith("msg_")) {
            long p = ChatMessages.positionOf(b);
            if (p < 0) {
                throw ApiErrors.invalid(Map.of("before", "not a message id (msg_<millis>_<n>)"));
            }
            return p;
        }
        try {
            return ChatMessages.positionAt(OffsetDateTime.parse(b).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            try {
                return ChatMessages.positionAt(Instant.parse(b));
            } catch (DateTimeException | ArithmeticException e2) {
                throw ApiErrors.invalid(Map.of("before", "a message id or an ISO-8601 time with offset, e.g. 2026-01-16T10:00:00.000Z"));
            }
        }
    }

    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiErrors.invalid(Map.of("limit", "an integer from 1 to " + MAX_LIMIT));
    }
}
