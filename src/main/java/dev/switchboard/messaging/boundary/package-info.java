/** Messaging's REST boundary: admin notifications. */
package dev.switchboard.messaging.boundary;
