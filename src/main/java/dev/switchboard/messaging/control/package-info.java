/** Messaging's logic: the offline mailbox and its janitor, presence per user, the example X- observer. */
package dev.switchboard.messaging.control;
