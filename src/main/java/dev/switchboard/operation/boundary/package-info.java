/** {@code /api/operations}: start, list, inspect and cancel Docker and standalone operations. */
package dev.switchboard.operation.boundary;
