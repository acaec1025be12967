/** The {@code rtc} dialect at {@code /rtc/ws} (spec/rtc.md): pub/sub with wildcards, direct messages, presence, notifications, binary frames, X- types. */
package dev.switchboard.dialect.rtc;
