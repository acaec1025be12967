package dev.switchboard.hub.entity;

/**
 * How much a connection may be told, fixed by its dialect from the verified caller: a push that carries secrets
 * (service config) or fault text (job output, errors) is made in one variant per clearance, each encoded once per
 * broadcast, never per connection. The hub only compares them; what each level may see is the dialect's choice.
 */
public enum Clearance {
    /** No verified token. */
    ANONYMOUS,
    /** A verified token without a privileged role. */
    AUTHENTICATED,
    /** A verified token with a role that may write (and so may see what it writes). */
    PRIVILEGED
}
