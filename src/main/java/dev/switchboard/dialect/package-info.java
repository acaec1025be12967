/** What every dialect shares: the WebSocket transport, the handshake configurator and its guard. */
package dev.switchboard.dialect;
