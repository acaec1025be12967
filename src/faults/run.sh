#!/bin/bash
# Switchboard's fault suite, the long run: fuzzing of every dialect, stalled clients, kill -9 rounds (issue 17),
# and, on its own, the soak: an hour of fan-out at half the saturation rate with connections churning.
#
#   src/faults/run.sh [fuzz|stall|chat|kill|all ...]        (default: all)
#   src/faults/run.sh soak                                  (one hour; not part of all)
#
# Builds the WAR and runs the same code as the test command's FaultSuiteIT (src/test/java/dev/switchboard/faults)
# in its long mode, through failsafe against real servers (Payara Micro + the PostgreSQL the ITs use), then prints
# the report and keeps it as target/faults/report-<time>.md. Exit status 0 only when the report has no failure.
# Counts can be changed with FAULTS_OPTS, e.g. FAULTS_OPTS="-Dfaults.fuzz.frames=200000 -Dfaults.kill.rounds=5";
# the keys (all faults.*): fuzz.frames (100000 per dialect), fuzz.connections (4 per dialect), flood.frames (20000),
# stall.subscribers (1000), stall.messages (3000), stall.rate (50/s), stall.message-bytes (1024), kill.rounds (20),
# seed (the fuzzer's; default: the time); the soak's: soak.seconds (3600), soak.interval-seconds (60),
# soak.subscribers (1000), soak.churners (100 of them), soak.rate (50/s), soak.churn.min-seconds (10),
# soak.churn.max-seconds (60), soak.side-per-second (2), soak.keepalive-seconds (240), soak.rss-slope-mb-per-hour (64),
# soak.heap-slope-mb-per-hour (16); fuzz.heap-dumps=<dir> keeps the server's heap before and after the fuzz (.hprof).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PARTS=()
for p in "${@:-all}"; do
  case "$p" in
    all) PARTS+=(fuzz stall chat kill) ;;
    fuzz|stall|chat|kill|soak) PARTS+=("$p") ;;
    *) echo "usage: $0 [fuzz|stall|chat|kill|soak|all ...]" >&2; exit 2 ;;
  esac
done
LIST=$(IFS=,; echo "${PARTS[*]}")
cd "$ROOT"
mkdir -p target/faults
LOG=target/faults/run-$(date -u +%Y%m%dT%H%M%SZ).log
echo "faults: parts $LIST, output in $LOG" >&2
MARK=target/faults/.started
touch "$MARK"
set +e
# shellcheck disable=SC2086
mvn -B verify -Dit.test=FaultSuiteIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.wildfly.skip -Dit.liberty.skip \
  -Dit.start-timeout-seconds="${START_TIMEOUT:-600}" -Dfaults.mode=long -Dfaults.parts="$LIST" ${FAULTS_OPTS:-} > "$LOG" 2>&1
STATUS=$?
set -e
REPORT=$(find target/faults -name 'report-*.md' -newer "$MARK" | sort | tail -1)
if [ -n "$REPORT" ]; then
  cat "$REPORT"
  echo
  echo "faults: report $ROOT/$REPORT" >&2
else
  echo "faults: no report was written; the end of $LOG:" >&2
  tail -50 "$LOG"
fi
exit $STATUS
