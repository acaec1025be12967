package dev.switchboard.common;

/** A request that contradicts the stored state (a taken name, a thing still in use): HTTP 409 with this message. */
public class Conflict extends RuntimeException {
    public Conflict(String message) {
        super(message);
    }
}
