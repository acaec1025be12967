/** Signing keys, token issue and strict verification, passwords, the first admin. */
package dev.switchboard.auth.control;
