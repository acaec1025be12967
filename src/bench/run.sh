#!/bin/bash
# Switchboard's benchmark, side by side with the reference hubs of ../shared/bench, in one run.
#
#   src/bench/run.sh [scenario ...]      scenarios: startup fanout idle rtc upload workflow search (default: all),
#                                        and heap (Switchboard only, what an idle connection holds),
#                                        and cluster balancer failover (only when named: several instances, PostgreSQL
#                                        and Redis)
#
# Builds the WAR and the bench client, copies and builds the reference hubs and the wsbench load generator under
# target/bench/refs (their sources stay in ../shared/bench; nothing of them enters this repository), starts every
# server pinned to CPU $SERVER_CPU (JVMs with -XX:ActiveProcessorCount=1) and the load on CPU $LOAD_CPU, and writes
# one JSON object per measurement to target/bench/results-<time>.jsonl, then prints the table with ratios.
# Environment: SHARED (default ../shared/bench), RATES ("50 100"), FANOUT_CONNS (1000), IDLE_CONNS ("10000 19000"),
# REFS ("node-ws go go-nocoal jetty vertx"), DB (postgres when 127.0.0.1:5432 answers, else h2), SKIP_BUILD=1,
# UPLOAD_MIB (2048), RTC_CONNS (10000), RTC_RATE (100), SEARCH_SERVICES (10000), WORKFLOW_EXECUTIONS (200),
# FANOUT_WARMUP (3: seconds of load at 50 msg/s every server gets before its fan-out is measured; the JVMs' JIT
# needs more than that, so a run with e.g. 30 gives their warm figures), SERVER (payara, wildfly or liberty: which
# server runs the WAR; the last two as `mvn -Pwildfly|-Pliberty` configures them; WildFly with its Undertow adapter, Liberty on the standard API),
# BENCH_OUT (target/bench: results, logs, built references), SB_JVM_OPTIONS (an argfile of JVM options for Payara Micro, default src/main/payara/jvm.options; none: no file),
# FIRST_TIMEOUT (180: seconds a start may take), SB_WAR (Payara: the WAR to deploy, default target/switchboard.war), SB_PORT (8090), SB_DB (sb_bench: Switchboard's PostgreSQL database, made afresh for each start unless KEEP_DB=1 and it exists), SB_CDS (auto: Payara starts with the build's ahead-of-time cache, as `mvn -Prun` does; off: without), HEAP_CONNS (10000: the heap scenario's idle connections), HEAP_WAIT (120: seconds it waits for them to connect), SB_JAVA (the java that runs Payara Micro; default java),
# SB_PAYARA_JAR (the payara-micro.jar to run, default target/runtime/payara-micro.jar, the build's payara.version;
# e.g. ~/.m2/repository/fish/payara/extras/payara-micro/7.2025.1/payara-micro-7.2025.1.jar, which wants SB_JAVA of JDK 21+).
# cluster (Payara, PostgreSQL and Redis only): CLUSTER_CONNS (1000), CLUSTER_RATES (= RATES), CLUSTER_WARMUP (20 s
# at the measured rate before each window), BENCH_REDIS_URL (redis://127.0.0.1:6379; a key prefix of this run's own).
# balancer, failover: three instances (ports SB_PORT..SB_PORT+2) with the default cluster.heartbeat.* settings;
# balancer puts docker/haproxy.cfg (Debian's HAProxy, the instances' addresses put in) on SB_PORT+3; failover runs
# FAILOVER_RUNS (6) kill -9 rounds; FAILOVER_CPUS (= SERVER_CPU) pins these three (0,1: faster restarts).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
OUT=${BENCH_OUT:-$ROOT/target/bench}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
RATES=${RATES:-"50 100"}
FANOUT_CONNS=${FANOUT_CONNS:-1000}
IDLE_CONNS=${IDLE_CONNS:-"10000 19000"}
REFS=${REFS:-"node-ws go go-nocoal jetty vertx"}
SCENARIOS=${*:-startup fanout idle rtc upload workflow search}
HEAP_CONNS=${HEAP_CONNS:-10000}
SB_JAVA=${SB_JAVA:-java}
# the Payara Micro that runs the WAR: the build's (pom.xml payara.version, -Dpayara.version=...), or any other jar
PAYARA_JAR=${SB_PAYARA_JAR:-$ROOT/target/runtime/payara-micro.jar}
# Payara Micro's JVM options, as the run profile and the image use them (SB_JVM_OPTIONS=none: the JVM's defaults)
JVM_OPTIONS=@${SB_JVM_OPTIONS:-$ROOT/src/main/payara/jvm.options}; [ "${SB_JVM_OPTIONS:-}" = none ] && JVM_OPTIONS=
JCMD=jcmd; [ -x "$(dirname "$(command -v "$SB_JAVA")")/jcmd" ] && JCMD="$(dirname "$(command -v "$SB_JAVA")")/jcmd"
SB_PORT=${SB_PORT:-8090}
SB_DB=${SB_DB:-sb_bench}
SERVER=${SERVER:-payara}
SB_PASSWORD=bench-admin-password
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/results-$STAMP.jsonl
mkdir -p "$OUT/refs" "$OUT/logs"
: > "$RESULTS"
declare -A PORT=([node-ws]=8081 [go]=8082 [jetty]=8083 [go-nocoal]=8084 [vertx]=8085 [switchboard]=$SB_PORT)
declare -A URLPATH=([switchboard]=/workspace/ws)
declare -A PID=()
JOPTS="-Xmx1g -XX:+UseParallelGC -XX:ActiveProcessorCount=1"

log() { echo "bench: $*" >&2; }
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
rss_kb() { awk '/VmRSS/{print $2}' /proc/$1/status; }
record() { echo "$1" | tee -a "$RESULTS"; }

build() {
  if [ -z "${SKIP_BUILD:-}" ]; then
    log "building the WAR and the bench client"
    # pre-integration-test also unpacks and configures WildFly and Liberty in target/ (no test runs: -DskipTests)
    local goal=package; [ "$SERVER" = payara ] || goal=pre-integration-test
    (cd "$ROOT" && mvn -q -B -DskipTests $goal && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$OUT/cp.txt")
    want fanout || want idle || want heap || { BENCH_CP="$ROOT/target/test-classes:$(cat "$OUT/cp.txt")"; return 0; }  # no reference hub needed
    command -v go >/dev/null || { log "installing Debian's Go and gorilla/websocket"; apt-get install -y --no-install-recommends golang-go golang-github-gorilla-websocket-dev >/dev/null; }
    if ! want fanout && ! want idle; then  # heap: the load generator only
      rm -rf "$OUT/refs/go-loadgen"; cp -r "$SHARED/go-loadgen" "$OUT/refs/go-loadgen"; chmod -R u+w "$OUT/refs/go-loadgen"
      sh "$OUT/refs/go-loadgen/build.sh"
      BENCH_CP="$ROOT/target/test-classes:$(cat "$OUT/cp.txt")"; return 0
    fi
    for d in go-gorilla go-loadgen node-ws java-jetty java-vertx; do
      rm -rf "$OUT/refs/$d"; cp -r "$SHARED/$d" "$OUT/refs/$d"; chmod -R u+w "$OUT/refs/$d"
    done
    sh "$OUT/refs/go-gorilla/build.sh"
    sh "$OUT/refs/go-loadgen/build.sh"
    (cd "$OUT/refs/node-ws" && npm ci --silent >/dev/null)
    for j in java-jetty java-vertx; do
      (cd "$OUT/refs/$j" && mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=cp.txt >/dev/null)
    done
  fi
  BENCH_CP="$ROOT/target/test-classes:$(cat "$OUT/cp.txt")"
}

bench_java() { taskset -c "$LOAD_CPU" java -Xmx3g -cp "$BENCH_CP" dev.switchboard.bench.Bench "$@"; }

start_ref() {
  local name=$1 R=$OUT/refs
  case $name in
    node-ws)   taskset -c "$SERVER_CPU" node "$R/node-ws/server.js" 8081 > "$OUT/logs/node-ws.log" 2>&1 & ;;
    go)        taskset -c "$SERVER_CPU" "$R/go-gorilla/chathub" -addr 127.0.0.1:8082 > "$OUT/logs/go.log" 2>&1 & ;;
    go-nocoal) taskset -c "$SERVER_CPU" "$R/go-gorilla/chathub" -addr 127.0.0.1:8084 -coalesce=false > "$OUT/logs/go-nocoal.log" 2>&1 & ;;
    jetty)     (cd "$R/java-jetty" && exec taskset -c "$SERVER_CPU" java $JOPTS -Dorg.eclipse.jetty.LEVEL=WARN -cp "target/classes:$(cat cp.txt)" peers.JettyHub 8083) > "$OUT/logs/jetty.log" 2>&1 & ;;
    vertx)     (cd "$R/java-vertx" && exec taskset -c "$SERVER_CPU" java $JOPTS -cp "target/classes:$(cat cp.txt)" peers.VertxHub 8085) > "$OUT/logs/vertx.log" 2>&1 & ;;
  esac
  PID[$name]=$!
  sleep 3
}

# The ahead-of-time cache `mvn -Prun` makes and uses (README "Start-up"): made by one training run with the JVM and
# options the server gets (the JVM refuses a cache made with others), once per JVM and Payara jar; nothing before JDK 25
train_cache() {
  [ "$SERVER" = payara ] && [ "${SB_CDS:-auto}" != off ] || return 0
  JAVA="$SB_JAVA" JAVA_OPTS="-XX:ActiveProcessorCount=1 $JVM_OPTIONS ${SB_JAVA_OPTS:-}" SWITCHBOARD_CDS_DIR="$ROOT/target/cds" \
    taskset -c "$SERVER_CPU" sh "$ROOT/src/main/payara/train-cds.sh" "$PAYARA_JAR" \
    "${SB_WAR:-$ROOT/target/switchboard.war}" "$ROOT/target/runtime/postgresql.jar"
}

start_switchboard() {
  local S=$OUT/switchboard
  train_cache
  rm -rf "$S"; mkdir -p "$S"
  local db=${DB:-}
  if [ -z "$db" ]; then pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && db=postgres || db=h2; fi
  local postboot=$ROOT/src/main/payara/post-boot-h2.asadmin
  if [ "$db" = postgres ]; then
    if [ -z "${KEEP_DB:-}" ] || ! psql -q -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$SB_DB"; then
      psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $SB_DB" -c "CREATE DATABASE $SB_DB" postgres
    fi
    export SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$SB_DB SWITCHBOARD_DB_USER=postgres SWITCHBOARD_DB_PASSWORD=
    postboot=$ROOT/src/main/payara/post-boot-postgres.asadmin
  fi
  LAUNCHED_MS=$(date +%s%3N)
  export SWITCHBOARD_DATA_DIR=$S/data SWITCHBOARD_ADMIN_PASSWORD=$SB_PASSWORD \
     WORKSPACE_RATE_LIMIT_PER_SECOND=1000000 WORKSPACE_RATE_LIMIT_BURST=1000000 RTC_RATE_LIMIT_PER_SECOND=1000000 \
     UPLOAD_MAX_FILE_BYTES=8589934592 UPLOAD_MAX_SESSIONS_PER_USER=64
  case $SERVER in
    payara)
      # as `mvn -Prun` starts it: src/main/payara/start.sh with the build's ahead-of-time cache (SB_CDS=off: without)
      (cd "$S" && JAVA="$SB_JAVA" JAVA_OPTS="-XX:ActiveProcessorCount=1 $JVM_OPTIONS ${SB_JAVA_OPTS:-}" SWITCHBOARD_CDS=${SB_CDS:-auto} \
         SWITCHBOARD_CDS_DIR="$ROOT/target/cds" exec taskset -c "$SERVER_CPU" sh "$ROOT/src/main/payara/start.sh" \
         "$PAYARA_JAR" --addlibs "$ROOT/target/runtime/postgresql.jar" \
         --prebootcommandfile "$ROOT/src/main/payara/pre-boot.asadmin" --postbootcommandfile "$postboot" \
         --deploy "${SB_WAR:-$ROOT/target/switchboard.war}" --contextroot / \
         --port "$SB_PORT" --nohazelcast --disablephonehome --rootdir "$S/root") > "$OUT/logs/switchboard.log" 2>&1 &
      PID[switchboard]=$! ;;
    wildfly)
      # its own server folder, as the ITs do (WildFlyServer); WildFly refuses an empty datasource password
      local home
      home=$(ls -d "$ROOT"/target/wildfly-*/)
      mkdir -p "$S/base/deployments"; cp -r "$home/standalone/configuration" "$S/base/"
      cp "$ROOT/target/switchboard.war" "$S/base/deployments/"
      if [ "${SWITCHBOARD_DB_PASSWORD-unset}" = "" ]; then unset SWITCHBOARD_DB_PASSWORD; fi
      local driver=h2; [ "$db" = postgres ] && driver=postgresql
      (cd "$S" && JAVA_OPTS="-XX:ActiveProcessorCount=1 -Xmx1g -XX:MaxMetaspaceSize=512m ${SB_JAVA_OPTS:-}" \
         exec taskset -c "$SERVER_CPU" "$home/bin/standalone.sh" -c standalone-switchboard.xml \
         -Djboss.server.base.dir="$S/base" -Djboss.http.port="$SB_PORT" -Djboss.management.http.port=$((SB_PORT + 1000)) \
         -Dswitchboard.db.driver=$driver) > "$OUT/logs/switchboard.log" 2>&1 &
      PID[switchboard]=$!
      # standalone.sh runs the server's JVM as its child, after short-lived `java -version` probes: measure that JVM
      # (found by its own server folder; the probes would be gone before the first sample)
      local jvm=""
      for _ in $(seq 1 100); do
        jvm=$(pgrep -f "^[^ ]*java .*-Djboss.server.base.dir=$S/base" || true); [ -n "$jvm" ] && break; sleep 0.2
      done
      [ -n "$jvm" ] && PID[switchboard]=$jvm ;;
    liberty)
      # `server run` execs the JVM; logs and work area in this run's folder
      (cd "$S" && WLP_OUTPUT_DIR=$S/out SWITCHBOARD_PORT=$SB_PORT JVM_ARGS="-XX:ActiveProcessorCount=1 ${SB_JAVA_OPTS:-}" \
         exec taskset -c "$SERVER_CPU" "$ROOT/target/liberty/wlp/bin/server" run switchboard) > "$OUT/logs/switchboard.log" 2>&1 &
      PID[switchboard]=$! ;;
    *) log "SERVER must be payara, wildfly or liberty"; exit 2 ;;
  esac
  log "switchboard pid=${PID[switchboard]} db=$db"
  local first
  first=$(bench_java first-connection "127.0.0.1:$SB_PORT" "$SB_PASSWORD" launchedAtMs="$LAUNCHED_MS" timeoutSeconds="${FIRST_TIMEOUT:-180}")
  # the CPU the server used until then: on one core the launch's wall time when nothing else runs, and a figure other
  # processes on a shared machine do not stretch
  local cpu
  cpu=$(awk -v t="$(ticks "${PID[switchboard]}")" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}')
  sleep 5
  record "$(echo "$first" | sed "s/}\$/,\"server\":\"switchboard\",\"container\":\"$SERVER\",\"db\":\"$db\",\"serverCpuSeconds\":$cpu,\"idleRssKiB\":$(rss_kb "${PID[switchboard]}")}/")"
}

stop() {
  local name=$1
  if [ -n "${PID[$name]:-}" ]; then
    kill "${PID[$name]}" 2>/dev/null || true
    wait "${PID[$name]}" 2>/dev/null || true
    # a process that is not this shell's child (WildFly's JVM) is not waited for by wait: until it is gone
    for _ in $(seq 1 300); do kill -0 "${PID[$name]}" 2>/dev/null || break; sleep 0.2; done
    unset "PID[$name]"
  fi
}
cleanup() { for n in "${!PID[@]}"; do stop "$n"; done; }
trap cleanup EXIT

fanout() {
  local name=$1 url="ws://127.0.0.1:${PORT[$1]}${URLPATH[$1]:-/ws}" pid=${PID[$1]}
  timeout $((120 + ${FANOUT_WARMUP:-3})) taskset -c "$LOAD_CPU" "$OUT/refs/go-loadgen/wsbench" -url "$url" -conns "$FANOUT_CONNS" -rate 50 -duration "${FANOUT_WARMUP:-3}" -warmup 1 >/dev/null 2>>"$OUT/logs/wsbench.err" || true
  sleep 2
  for r in $RATES; do
    local cpufile=$OUT/logs/.cpu.$name
    ( sleep 4; a=$(ticks "$pid"); t1=$(date +%s.%N); sleep 8; b=$(ticks "$pid"); t2=$(date +%s.%N)
      awk -v a="$a" -v b="$b" -v t1="$t1" -v t2="$t2" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", (b-a)/hz/(t2-t1)*100}' > "$cpufile" ) &
    local sampler=$!
    local res
    res=$(timeout 180 taskset -c "$LOAD_CPU" "$OUT/refs/go-loadgen/wsbench" -url "$url" -conns "$FANOUT_CONNS" -rate "$r" -duration 10 -warmup 3 2>>"$OUT/logs/wsbench.err" || echo '{"error":"wsbench failed"}')
    wait $sampler
    local container=""; [ "$name" = switchboard ] && container="\"container\":\"$SERVER\","
    record "$(echo "$res" | sed "s/^{/{\"scenario\":\"fanout\",\"server\":\"$name\",$container\"serverCpuPct\":$(cat "$cpufile"),/")"
    sleep 3
  done
}

idle() {
  local name=$1 n=$2 url="ws://127.0.0.1:${PORT[$1]}${URLPATH[$1]:-/ws}" pid=${PID[$1]}
  local before out=$OUT/logs/idle-$name-$n.json
  before=$(rss_kb "$pid")
  taskset -c "$LOAD_CPU" "$OUT/refs/go-loadgen/wsbench" -url "$url" -conns "$n" -idle -hold 30 -parallel 100 > "$out" 2>&1 &
  local lg=$!
  for _ in $(seq 1 240); do grep -q '"mode"' "$out" && break; sleep 0.5; done
  sleep 8
  local after
  after=$(rss_kb "$pid")
  record "{\"scenario\":\"idle\",\"server\":\"$name\",\"conns\":$n,\"rssBeforeKiB\":$before,\"rssWithConnsKiB\":$after,\"perConnKiB\":$(( (after - before) / n )),$(grep -o '"open":[0-9]*' "$out" || echo '"open":0'),$(grep -o '"errors":[0-9]*' "$out" || echo '"errors":-1')}"
  kill $lg 2>/dev/null; wait $lg 2>/dev/null || true
  sleep 5
}

# What one idle connection holds: live-heap class histograms (jcmd GC.class_histogram, each after a full GC) with no
# connection and with HEAP_CONNS idle workspace connections, their difference per connection (the 40 largest classes
# in logs/heap-<n>/per-connection.txt), and the native side: NMT's difference (the server runs with
# -XX:NativeMemoryTracking=summary here, which costs a little memory of its own), the thread count, and RSS.
heap() {
  local n=$1 pid=${PID[switchboard]} url="ws://127.0.0.1:$SB_PORT${URLPATH[switchboard]}"
  local dir=$OUT/logs/heap-$n
  rm -rf "$dir"; mkdir -p "$dir"
  "$JCMD" "$pid" GC.class_histogram > "$dir/histogram-0.txt"
  "$JCMD" "$pid" VM.native_memory baseline > /dev/null
  "$JCMD" "$pid" GC.heap_info > "$dir/heap-0.txt"
  local rss0 threads0
  rss0=$(rss_kb "$pid"); threads0=$(ls /proc/"$pid"/task | wc -l)
  taskset -c "$LOAD_CPU" "$OUT/refs/go-loadgen/wsbench" -url "$url" -conns "$n" -idle -parallel 100 > "$dir/wsbench.json" 2>&1 &
  local lg=$!
  # until the storm has ended (wsbench prints its result), at most HEAP_WAIT seconds: on a loaded machine a histogram
  # taken while handshakes are still in flight counts their objects too
  for _ in $(seq 1 $(( ${HEAP_WAIT:-120} * 2 ))); do grep -q '"mode"' "$dir/wsbench.json" && break; sleep 0.5; done
  sleep 8
  local rss1 threads1 rss2
  rss1=$(rss_kb "$pid"); threads1=$(ls /proc/"$pid"/task | wc -l)
  # divide by the connections open now (a slow, contended storm may have lost some), as the server counts them
  local open
  open=$(curl -s "http://127.0.0.1:$SB_PORT/metrics" | awk '/^switchboard_connections\{dialect="workspace"\}/ { print int($2) }')
  [ -n "$open" ] && [ "$open" -gt 0 ] || open=$n
  "$JCMD" "$pid" GC.class_histogram > "$dir/histogram-$n.txt"
  rss2=$(rss_kb "$pid")
  "$JCMD" "$pid" GC.heap_info > "$dir/heap-$n.txt"
  "$JCMD" "$pid" VM.native_memory summary.diff > "$dir/nmt-diff.txt"
  kill $lg 2>/dev/null; wait $lg 2>/dev/null || true
  # rows: "num: instances bytes class (module)"; the difference per class, largest first, per connection
  awk -v n="$open" 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ { k = $4; if (f == 1) { i0[k] = $2; b0[k] = $3 } else { i1[k] = $2; b1[k] = $3 }; seen[k] = 1 }
    END { for (k in seen) { d = b1[k] - b0[k]; t += d; if (d != 0) printf "%10.1f %10.2f  %s\n", d / n, (i1[k] - i0[k]) / n, k }
          printf "%10.1f %10s  %s\n", t / n, "", "TOTAL (bytes, instances per connection)" }' \
    "$dir/histogram-0.txt" "$dir/histogram-$n.txt" | sort -rn | head -41 > "$dir/per-connection.txt"
  local live nmt
  live=$(awk '/TOTAL/ { printf "%.0f", $1 }' "$dir/per-connection.txt")
  nmt=$(awk '/^Total:/ { for (i = 1; i <= NF; i++) if ($i ~ /^committed=/) { v = $(i + 1); gsub(/[^0-9+-]/, "", v); print v; exit } }' "$dir/nmt-diff.txt")
  record "{\"scenario\":\"heap\",\"server\":\"switchboard\",\"conns\":$n,\"liveHeapPerConnB\":$live,\"serverOpen\":$open,\"rssPerConnKiB\":$(( (rss1 - rss0) / open )),\"rssAfterFullGcPerConnKiB\":$(( (rss2 - rss0) / open )),\"nmtCommittedPerConnKiB\":$(( ${nmt:-0} / open )),\"threadsBefore\":$threads0,\"threadsWithConns\":$threads1,$(grep -o '"open":[0-9]*' "$dir/wsbench.json" || echo '"open":0')}"
  log "heap: $dir/per-connection.txt"
  cat "$dir/per-connection.txt" >&2
  sleep 5
}

# --- several instances (cluster, failover): Payara Micro on one PostgreSQL database and one Redis --------------------
CLUSTER_PREFIX=sb-bench-$STAMP
MEMBER_PORT=(0 $((SB_PORT)) $((SB_PORT + 1)) $((SB_PORT + 2)))

cluster_setup() {
  [ "$SERVER" = payara ] || { log "the cluster scenarios run on Payara only"; return 1; }
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { log "the cluster scenarios need PostgreSQL on 127.0.0.1:5432"; return 1; }
  redis-cli -u "${BENCH_REDIS_URL:-redis://127.0.0.1:6379}" ping >/dev/null 2>&1 \
    || { log "the cluster scenarios need Redis at ${BENCH_REDIS_URL:-redis://127.0.0.1:6379}"; return 1; }
  local key=$OUT/cluster-signing-key.pem
  [ -f "$key" ] || (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
  CLUSTER_KEY=$(cat "$key")
}

fresh_db() {
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" postgres
}

# start_member <i> <db> <engine> [cpus]: instance i (1, 2, 3) on port MEMBER_PORT[i], PID[m<i>]; returns once it is
# ready (at once with NOWAIT=1: then member_ready <i>)
start_member() {
  local i=$1 db=$2 engine=$3 cpus=${4:-$SERVER_CPU} port=${MEMBER_PORT[$1]}
  local S=$OUT/member-$port
  # a fresh Payara root each start (the data folder stays): a reused one redeploys the WAR over the copy it starts
  # first, and the instance turns 404 seconds after it was ready
  rm -rf "$S/root"
  mkdir -p "$S"
  local ncpu; ncpu=$(echo "$cpus" | tr ',' '\n' | wc -l)
  (cd "$S" && export SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db SWITCHBOARD_DB_USER=postgres SWITCHBOARD_DB_PASSWORD= \
     SWITCHBOARD_DATA_DIR=$S/data SWITCHBOARD_ADMIN_PASSWORD=$SB_PASSWORD SWITCHBOARD_JWT_PRIVATE_KEY="$CLUSTER_KEY" \
     SWITCHBOARD_ADVERTISED_ADDRESS=127.0.0.1 SWITCHBOARD_ADVERTISED_PORT=$port \
     WORKSPACE_RATE_LIMIT_PER_SECOND=1000000 WORKSPACE_RATE_LIMIT_BURST=1000000 RTC_RATE_LIMIT_PER_SECOND=1000000 \
     CLUSTER_ENGINE=$engine CLUSTER_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379} CLUSTER_REDIS_PREFIX=$CLUSTER_PREFIX \
     && exec taskset -c "$cpus" "$SB_JAVA" -XX:ActiveProcessorCount="$ncpu" ${SB_JAVA_OPTS:-} \
       -jar "$PAYARA_JAR" --addlibs "$ROOT/target/runtime/postgresql.jar" \
       --prebootcommandfile "$ROOT/src/main/payara/pre-boot.asadmin" --postbootcommandfile "$ROOT/src/main/payara/post-boot-postgres.asadmin" \
       --deploy "$ROOT/target/switchboard.war" --contextroot / \
       --port "$port" --nohazelcast --disablephonehome --rootdir "$S/root") >> "$OUT/logs/member-$port.log" 2>&1 &
  PID[m$i]=$!
  log "member $i pid=${PID[m$i]} port=$port engine=$engine cpus=$cpus"
  [ -n "${NOWAIT:-}" ] || member_ready "$i"
}

member_ready() {
  local i=$1 port=${MEMBER_PORT[$1]}
  for _ in $(seq 1 600); do
    # the application's own checks (before the WAR is deployed Payara Micro answers /health/ready itself)
    curl -fs "http://127.0.0.1:$port/health/ready" 2>/dev/null | grep -q '"database"' && return 0
    kill -0 "${PID[m$i]}" 2>/dev/null || { log "member $i died: see $OUT/logs/member-$port.log"; return 1; }
    sleep 0.5
  done
  log "member $i not ready in 300 s"; return 1
}

# await_members <n> <i>...: every listed instance's readiness counts n members
await_members() {
  local n=$1; shift
  for i in "$@"; do
    for _ in $(seq 1 240); do
      curl -fs "http://127.0.0.1:${MEMBER_PORT[$i]}/health/ready" 2>/dev/null | grep -Eq "\"members\":\"?$n[\",}]" && break
      sleep 0.5
    done || true
  done
}

cluster_measure() {
  local hosts=$1 pids=$2
  for r in ${CLUSTER_RATES:-$RATES}; do
    record "$(bench_java cluster "127.0.0.1:${MEMBER_PORT[1]}" "$SB_PASSWORD" hosts="$hosts" pids="$pids" hz="$(getconf CLK_TCK)" \
      conns="${CLUSTER_CONNS:-1000}" rate="$r" duration=10 warmup="${CLUSTER_WARMUP:-20}" drain=5 || echo '{"scenario":"cluster","error":"bench failed"}')"
    sleep 3
  done
}

# one instance (the in-memory engine, as a single server runs), then two on Redis, both pinned to SERVER_CPU
cluster_scenario() {
  cluster_setup || return 0
  local A=127.0.0.1:${MEMBER_PORT[1]} B=127.0.0.1:${MEMBER_PORT[2]}
  log "cluster: one instance"
  rm -rf "$OUT/member-${MEMBER_PORT[1]}" "$OUT/member-${MEMBER_PORT[2]}"
  fresh_db sb_bench_cluster
  start_member 1 sb_bench_cluster memory || return 0
  cluster_measure "$A" "${PID[m1]}"
  stop m1
  log "cluster: two instances on Redis (prefix $CLUSTER_PREFIX)"
  rm -rf "$OUT/member-${MEMBER_PORT[1]}"
  fresh_db sb_bench_cluster
  start_member 1 sb_bench_cluster redis || return 0
  start_member 2 sb_bench_cluster redis || { stop m1; return 0; }
  await_members 2 1 2
  cluster_measure "$A,$B" "${PID[m1]},${PID[m2]}"
  stop m2; stop m1
}

# the compose file's balancer (docker/haproxy.cfg, Debian's HAProxy) in front of the three local instances: a client
# signs in through it and one Broadcast reaches all its connections, wherever they landed
balancer_check() {
  command -v haproxy >/dev/null || { log "installing Debian's HAProxy"; apt-get install -y --no-install-recommends haproxy >/dev/null; }
  local cfg=$OUT/haproxy.cfg lb=127.0.0.1:$((SB_PORT + 3))
  sed -e "s/^\( *server switchboard-\([123]\)\) switchboard-[123]:8080/\1 127.0.0.1:PORT\2/" -e "s/ resolvers docker\$//" \
      -e "s/^\( *bind\) :8080/\1 $lb/" "$ROOT/docker/haproxy.cfg" \
    | sed -e "s/PORT1/${MEMBER_PORT[1]}/" -e "s/PORT2/${MEMBER_PORT[2]}/" -e "s/PORT3/${MEMBER_PORT[3]}/" > "$cfg"
  haproxy -c -q -f "$cfg" || { log "haproxy refused $cfg"; return 0; }
  haproxy -db -f "$cfg" > "$OUT/logs/haproxy.log" 2>&1 &
  PID[lb]=$!
  sleep 6  # two passing health checks (rise 2, inter 2s)
  record "$(bench_java balancer "$lb" "$SB_PASSWORD" conns=9 \
    instances="127.0.0.1:${MEMBER_PORT[1]},127.0.0.1:${MEMBER_PORT[2]},127.0.0.1:${MEMBER_PORT[3]}" \
    || echo '{"scenario":"balancer","error":"check failed"}')"
  stop lb
}

# three instances with the default heartbeats (balancer, failover); each failover run kills one (in turn) with
# kill -9, measures, and starts it again
three_instances() {
  cluster_setup || return 0
  FAILOVER_CPUS=${FAILOVER_CPUS:-$SERVER_CPU}
  CLUSTER_PREFIX=$CLUSTER_PREFIX-3
  log "three instances on Redis (prefix $CLUSTER_PREFIX), default cluster.heartbeat.*"
  rm -rf "$OUT/member-${MEMBER_PORT[1]}" "$OUT/member-${MEMBER_PORT[2]}" "$OUT/member-${MEMBER_PORT[3]}"
  fresh_db sb_bench_three
  start_member 1 sb_bench_three redis "$FAILOVER_CPUS" || return 0
  NOWAIT=1 start_member 2 sb_bench_three redis "$FAILOVER_CPUS"
  NOWAIT=1 start_member 3 sb_bench_three redis "$FAILOVER_CPUS"
  member_ready 2 && member_ready 3 || return 0
  await_members 3 1 2 3
  if want balancer; then balancer_check; fi
  if want failover; then
    for run in $(seq 1 "${FAILOVER_RUNS:-6}"); do
      local v=$(( (run - 1) % 3 + 1 )) w=$(( run % 3 + 1 )) c=$(( (run + 1) % 3 + 1 ))
      record "$(bench_java failover "127.0.0.1:${MEMBER_PORT[$w]}" "$SB_PASSWORD" victim="127.0.0.1:${MEMBER_PORT[$v]}" \
        pid="${PID[m$v]}" watch="127.0.0.1:${MEMBER_PORT[$w]}" control="127.0.0.1:${MEMBER_PORT[$c]}" \
        | sed "s/}\$/,\"run\":$run}/" || echo '{"scenario":"failover","error":"bench failed"}')"
      # a run that failed before its kill leaves the victim running: then nothing to start again
      kill -0 "${PID[m$v]}" 2>/dev/null && continue
      wait "${PID[m$v]}" 2>/dev/null || true
      unset "PID[m$v]"
      start_member "$v" sb_bench_three redis "$FAILOVER_CPUS" || break
      await_members 3 1 2 3
    done
  fi
  stop m3; stop m2; stop m1
}

want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
build

log "switchboard"
SB="127.0.0.1:$SB_PORT"
single=
for sc in startup fanout idle heap rtc upload workflow search; do want "$sc" && single=1; done
if [ -n "$single" ]; then
if want idle; then for n in $IDLE_CONNS; do start_switchboard; idle switchboard "$n"; stop switchboard; done; fi
if want heap; then
  # no keep-alive pings while the storm lasts: wsbench reads (and so answers pings) only once every connection is open
  HUB_PING_INTERVAL_SECONDS=3000 HUB_PONG_TIMEOUT_SECONDS=3600 SB_JAVA_OPTS="${SB_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" \
    start_switchboard
  heap "$HEAP_CONNS"; stop switchboard
  [ "$SCENARIOS" = heap ] && { log "results: $RESULTS"; exit 0; }
fi
start_switchboard
if want fanout; then fanout switchboard; fi
if want rtc; then record "$(bench_java rtc "$SB" "$SB_PASSWORD" conns="${RTC_CONNS:-10000}" rate="${RTC_RATE:-100}")"; fi
if want upload; then record "$(bench_java upload "$SB" "$SB_PASSWORD" mb="${UPLOAD_MIB:-2048}" window=4)"; fi
if want workflow; then record "$(bench_java workflow "$SB" "$SB_PASSWORD" executions="${WORKFLOW_EXECUTIONS:-200}")"; fi
if want search; then record "$(bench_java search "$SB" "$SB_PASSWORD" services="${SEARCH_SERVICES:-10000}")"; fi
stop switchboard
fi
if want cluster; then cluster_scenario; fi
if want balancer || want failover; then three_instances; fi

if want fanout || want idle; then
  for ref in $REFS; do
    log "reference $ref"
    if want fanout; then start_ref "$ref"; fanout "$ref"; stop "$ref"; fi
    # idle RSS on a freshly started process each time, or what an earlier run left in the heap hides the cost
    if want idle; then for n in $IDLE_CONNS; do start_ref "$ref"; idle "$ref" "$n"; stop "$ref"; done; fi
  done
fi


java -cp "$BENCH_CP" dev.switchboard.bench.Summary "$RESULTS"
log "results: $RESULTS"
