/** The fault suite: fuzzing every dialect, stalled clients, kill -9 rounds; short in the test command, long from src/faults/run.sh. */
package dev.switchboard.faults;
