/** Messaging's vocabulary: the queued direct message entity and the events the dialects observe. */
package dev.switchboard.messaging.entity;
