/** The login endpoint. */
package dev.switchboard.auth.boundary;
