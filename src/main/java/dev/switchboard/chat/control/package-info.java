/** Posting chat messages (id, order, write-behind storage) and paging their history. */
package dev.switchboard.chat.control;
