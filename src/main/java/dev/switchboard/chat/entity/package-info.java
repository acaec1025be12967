/** Workspace chat: messages, their history and the event a posted message fires. */
package dev.switchboard.chat.entity;
