/** The admin console's server side: browsers at {@code /} are sent to {@code /admin/}; the console's headers. */
package dev.switchboard.console;
