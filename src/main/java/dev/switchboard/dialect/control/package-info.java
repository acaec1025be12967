/** The {@code control} dialect at {@code /control/ws} (spec/control.md): a push-only {@code {event, data}} stream. */
package dev.switchboard.dialect.control;
