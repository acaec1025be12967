/** {@code /api/peers}, {@code /api/blacklist} and {@code /api/relay}: REST over the peers domain. */
package dev.switchboard.peers.boundary;
