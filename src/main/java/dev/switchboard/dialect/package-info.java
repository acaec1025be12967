/** What every dialect shares: the handshake guard, its configurator and the per-path policies. */
package dev.switchboard.dialect;
