package dev.switchboard.hub.entity;

/** Why the server closes a connection: a WebSocket close code (RFC 6455 §7.4) and a short reason. */
public record Disconnect(int code, String reason) {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int TRY_AGAIN_LATER = 1013;
    /** The token that authenticated the connection reached its {@code exp} (private-use range; rtc's spec). */
    public static final int TOKEN_EXPIRED = 4001;

    /** The outbound queue overflowed: the client reads slower than the server writes to it. */
    public static Disconnect slowConsumer() {
        return new Disconnect(TRY_AGAIN_LATER, "Outbound queue full: client too slow");
    }

    /** No pong (or any other frame) arrived within the pong timeout. */
    public static Disconnect pongTimeout() {
        return new Disconnect(GOING_AWAY, "Pong timeout");
    }

    /** The client sent no message for longer than its dialect allows (workspace: 5 minutes). */
    public static Disconnect idle() {
        return new Disconnect(GOING_AWAY, "Idle timeout");
    }

    /** The connection's token reached its {@code exp}: every dialect closes with rtc's 4001. */
    public static Disconnect tokenExpired() {
        return new Disconnect(TOKEN_EXPIRED, "Token expired");
    }

    /** A message larger than the connection's limit arrived. */
    public static Disconnect tooBig() {
        return new Disconnect(TOO_BIG, "Message too big");
    }

    /** A write did not complete within the write timeout, or failed. */
    public static Disconnect writeFailed() {
        return new Disconnect(GOING_AWAY, "Write failed or timed out");
    }
}
