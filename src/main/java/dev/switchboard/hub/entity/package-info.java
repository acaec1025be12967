/** The hub's vocabulary: the {@code Transport} port and the reasons a connection is closed. */
package dev.switchboard.hub.entity;
