/** REST access to the chat history: {@code GET /api/workspace/messages}. */
package dev.switchboard.chat.boundary;
