/** Signing keys, token issue and strict verification (identity providers included), passwords, login throttling, the first admin. */
package dev.switchboard.auth.control;
