package dev.switchboard.upload.entity;

/** An upload request refused, with the node spec's error code (SESSION_NOT_FOUND, INVALID_ENCODING, ...). */
public class UploadException extends Exception {

    private final String code;
    private final String sessionId;

    public UploadException(String code, String sessionId, String message) {
        super(message);
        this.code = code;
        this.sessionId = sessionId;
    }

    public String code() {
        return code;
    }

    public String sessionId() {
        return sessionId;
    }
}
