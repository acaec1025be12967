#!/usr/bin/env bash
# Starts a local cluster of N Switchboard instances (default 3) on ports 8080, 8081, ... sharing one PostgreSQL
# database and one Redis, each with a data folder of its own, one upload directory for all ($CLUSTER_DIR/uploads:
# an upload started on one instance resumes on another) and one signing key for all (tokens signed by one
# instance verify on every other). Build first: mvn -B package -DskipTests. Ctrl-C stops them all.
#
#   src/main/sh/cluster.sh [N]
#
# Environment (defaults in brackets): SWITCHBOARD_DB_URL [jdbc:postgresql://127.0.0.1:5432/switchboard],
# SWITCHBOARD_DB_USER [postgres], SWITCHBOARD_DB_PASSWORD [], CLUSTER_REDIS_URL [redis://127.0.0.1:6379],
# CLUSTER_BASE_PORT [8080], CLUSTER_DIR [./data-cluster]; anything else (SWITCHBOARD_ADMIN_PASSWORD, ...) is
# passed on to every instance.
set -eu
n=${1:-3}
root=$(cd "$(dirname "$0")/../../.." && pwd)
dir=${CLUSTER_DIR:-$root/data-cluster}
base=${CLUSTER_BASE_PORT:-8080}
runtime=$root/target/runtime
[ -f "$root/target/switchboard.war" ] && [ -f "$runtime/payara-micro.jar" ] \
  || { echo "cluster: build first: mvn -B package -DskipTests" >&2; exit 1; }

export SWITCHBOARD_DB_URL=${SWITCHBOARD_DB_URL:-jdbc:postgresql://127.0.0.1:5432/switchboard}
export SWITCHBOARD_DB_USER=${SWITCHBOARD_DB_USER:-postgres}
export SWITCHBOARD_DB_PASSWORD=${SWITCHBOARD_DB_PASSWORD:-}
export CLUSTER_ENGINE=redis
export CLUSTER_REDIS_URL=${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379}
export UPLOAD_STORAGE_DIR=$dir/uploads

mkdir -p "$dir" "$UPLOAD_STORAGE_DIR"
key=$dir/jwt-signing-key.pem
if [ ! -f "$key" ]; then
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
fi
export SWITCHBOARD_JWT_PRIVATE_KEY=$(cat "$key")

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; }
trap stop INT TERM EXIT

for i in $(seq 0 $((n - 1))); do
  port=$((base + i))
  mkdir -p "$dir/$i"
  # a fresh Payara root each start: a reused one still lists the WAR deployed last time, which Payara Micro starts
  # and then deploys again from --deploy, undeploying the first copy while it already answers (seen as a ready
  # instance turning 404 a few seconds later)
  rm -rf "$dir/$i/payara"
  SWITCHBOARD_DATA_DIR=$dir/$i SWITCHBOARD_ADVERTISED_PORT=$port \
    java -jar "$runtime/payara-micro.jar" --addlibs "$runtime/postgresql.jar" \
      --prebootcommandfile "$root/src/main/payara/pre-boot.asadmin" \
      --postbootcommandfile "$root/src/main/payara/post-boot-postgres.asadmin" \
      --deploy "$root/target/switchboard.war" --contextroot / --port "$port" \
      --nohazelcast --disablephonehome --rootdir "$dir/$i/payara" >"$dir/$i/server.log" 2>&1 &
  pids+=($!)
  echo "cluster: instance $i on http://127.0.0.1:$port (log $dir/$i/server.log)"
  # the first one migrates the schema and creates the first admin before the others start
  if [ "$i" = 0 ]; then
    for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  fi
done
wait
