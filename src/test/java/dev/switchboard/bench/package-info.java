/** The benchmark's scenarios that need a client of Switchboard's own dialects (run by src/bench/run.sh, smoke-tested by BenchSmokeIT). */
package dev.switchboard.bench;
