/** WildFly's fast path (Undertow's public WebSocket API); nothing outside transport/ imports this package. */
package dev.switchboard.transport.undertow;
