/** Helpers every component uses and none owns: JSON text, wire time, REST API errors, config lists, the data folder, debounce, the client address behind trusted proxies. */
package dev.switchboard.common;
