package dev.switchboard.auth.control;

/** A token failed verification; the message says why (for logs, never for the client). */
public class InvalidTokenException extends Exception {
    public InvalidTokenException(String reason) {
        super(reason);
    }

    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
