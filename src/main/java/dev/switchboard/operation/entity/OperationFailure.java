package dev.switchboard.operation.entity;

/** Ends an operation with an error code and a message meant for its user (never a stack trace). */
public class OperationFailure extends Exception {

    private final ErrorCode code;

    public OperationFailure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
