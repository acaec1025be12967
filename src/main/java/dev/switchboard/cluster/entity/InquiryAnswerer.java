package dev.switchboard.cluster.entity;

import jakarta.json.JsonObject;

/**
 * What this instance answers when another asks a question on {@link #topic()} (the cluster's {@code Inquiries}
 * finds every bean implementing it). Called on a managed thread, never the cluster's inbound one; may read the
 * database; a thrown exception tells the asker that the answer failed.
 */
public interface InquiryAnswerer {

    String topic();

    JsonObject answer(JsonObject question);
}
