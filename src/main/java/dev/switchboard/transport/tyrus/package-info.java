/** Payara's fast paths (Tyrus and Grizzly internals, reached by reflection); nothing outside transport/ imports this package. */
package dev.switchboard.transport.tyrus;
