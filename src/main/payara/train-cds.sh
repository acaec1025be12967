#!/bin/sh
# The training run behind start.sh's ahead-of-time cache (JDK 25 and later) (README "Start-up"):
#
#   train-cds.sh PAYARA_MICRO_JAR WAR [DRIVER_JAR]
#
# Starts the WAR once on Payara Micro as start.sh would (same JVM and options: $JAVA or $JAVA_HOME, $JAVA_OPTS; the JVM
# refuses a cache made with other options), on a throw-away embedded database and data folder, with none of the caller's
# other environment (no SWITCHBOARD_DB_*, cluster, Redis or upload settings reach it), on a free port from 28080, with SWITCHBOARD_CDS=record; waits until it is ready, makes the requests a first
# client makes (health, a WebSocket handshake and its first frame, the REST API's documents), stops it with SIGTERM,
# and keeps the cache the JVM writes as it exits. Does nothing when this JVM's archive exists already
# (SWITCHBOARD_CDS_RETRAIN=1 makes it again) or SWITCHBOARD_CDS=off. Never fails the build: without an archive Payara starts as before.
set -u
jar=$1
war=$2
driver=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
archive=$(SWITCHBOARD_CDS=print sh "$here/start.sh" "$jar")
say() { echo "cds-training: $*" >&2; }
if [ "${SWITCHBOARD_CDS:-auto}" = off ]; then say "SWITCHBOARD_CDS=off"; exit 0; fi
if [ -z "$archive" ]; then say "no ahead-of-time cache before JDK 25 (README \"Start-up\"); nothing to train"; exit 0; fi
if [ -s "$archive" ] && [ -z "${SWITCHBOARD_CDS_RETRAIN:-}" ]; then say "$archive exists"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-cds.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
addlibs=
[ -n "$driver" ] && addlibs="--addlibs $driver"
say "training $archive (one start of the WAR on a throw-away database, 1-4 min)"
started=$(date +%s)
# shellcheck disable=SC2086 # addlibs is two words or none
# env -i: only what the JVM needs; the application's settings are all at their defaults (embedded H2 in $work/data)
env -i PATH="$PATH" HOME="$work" TMPDIR="$work" LANG="${LANG:-C.UTF-8}" JAVA="${JAVA:-}" JAVA_HOME="${JAVA_HOME:-}" \
    JAVA_OPTS="${JAVA_OPTS:-}" SWITCHBOARD_CDS_DIR="${SWITCHBOARD_CDS_DIR:-}" \
    SWITCHBOARD_DATA_DIR="$work/data" SWITCHBOARD_CDS=record \
    sh "$here/start.sh" "$jar" $addlibs --prebootcommandfile "$here/pre-boot.asadmin" \
    --postbootcommandfile "$here/post-boot-h2.asadmin" --deploy "$war" --contextroot / --port 28080 --autobindhttp \
    --nohazelcast --disablephonehome --rootdir "$work/root" > "$work/log" 2>&1 &
pid=$!
ready=
for _ in $(seq 1 1200); do
    grep -q 'ready in' "$work/log" && { ready=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
done
if [ -z "$ready" ]; then
    say "the training server did not get ready; no archive (its log's end follows)"
    tail -20 "$work/log" >&2
    exit 0
fi
port=$(sed -n 's/.*http-listener started in.*bound to \[[^]]*:\([0-9]*\)\].*/\1/p' "$work/log" | head -1)
base=http://127.0.0.1:${port:-28080}
if command -v curl >/dev/null; then
    curl -s -o /dev/null --max-time 10 "$base/health/ready" || true
    # a WebSocket handshake and the connected frame, as the first client's (curl keeps reading until --max-time)
    curl -s -o /dev/null --http1.1 --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
        -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: c3dpdGNoYm9hcmQtY2RzLTE=' \
        "$base/workspace/ws?username=cds-training" || true
    for path in /metrics /openapi /asyncapi.yaml /admin/; do
        curl -s -o /dev/null --max-time 10 "$base$path" || true
    done
fi
kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then say "the training server did not stop; no archive"; exit 0; fi
wait "$pid" 2>/dev/null
pid=
if [ -s "$archive.tmp" ]; then
    mv "$archive.tmp" "$archive"
    say "wrote $archive ($(du -h "$archive" | cut -f1), $(( $(date +%s) - started )) s)"
else
    rm -f "$archive.tmp"
    say "the JVM wrote no archive; Payara starts without one (its log's end follows)"
    tail -5 "$work/log" >&2
fi
exit 0
