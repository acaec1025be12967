/** The {@code vault} dialect at {@code /ws} (spec/vault.md): topic pub/sub of file, peer, system and alert events. */
package dev.switchboard.dialect.vault;
