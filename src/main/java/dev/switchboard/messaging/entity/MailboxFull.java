package dev.switchboard.messaging.entity;

/** A user's offline mailbox holds its maximum of messages; the new one was not stored. */
public class MailboxFull extends Exception {

    private final int limit;

    public MailboxFull(String user, int limit) {
        super("The offline queue of " + user + " is full (" + limit + " messages)", null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
