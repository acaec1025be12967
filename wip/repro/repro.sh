#!/usr/bin/env bash
# repro.sh tag mode [extra env...]
tag=$1; mode=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."   # the worktree this script is in: its target/ (mvn -o -q package -DskipTests)
port=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
db=sb_repro_$tag; psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db" -c "create database $db" >/dev/null
rm -rf /tmp/rroot-$tag /tmp/rdata-$tag
env "$@" SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db SWITCHBOARD_DB_USER=postgres SWITCHBOARD_DB_PASSWORD= \
SWITCHBOARD_DATA_DIR=/tmp/rdata-$tag SWITCHBOARD_ADMIN_PASSWORD=Xy7-very-long-pass WORKSPACE_RATE_LIMIT_PER_SECOND=1000000 WORKSPACE_RATE_LIMIT_BURST=1000000 \
java -Xss512k @src/main/payara/jvm.options -jar target/runtime/payara-micro.jar --addlibs target/runtime/postgresql.jar \
 --prebootcommandfile src/main/payara/pre-boot.asadmin --postbootcommandfile src/main/payara/post-boot-postgres.asadmin \
 --deploy ${WAR:-target/switchboard.war} --contextroot / --port $port --nohazelcast --disablephonehome --rootdir /tmp/rroot-$tag > /tmp/repro-$tag.log 2>&1 &
pid=$!
for i in $(seq 1200); do curl -sf -o /dev/null http://127.0.0.1:$port/health/ready && break; sleep 0.5; done
curl -sf -o /dev/null http://127.0.0.1:$port/health/ready || { echo "not ready in 600 s"; kill $pid; exit 1; }
java "$here"/${CLIENT:-Repro}.java $port ${CONNS:-1000} ${CYCLES:-3} $mode > /tmp/repro-$tag.client 2>&1
tail -3 /tmp/repro-$tag.client
echo "NPE in log: $(grep -c NullPointerException /tmp/repro-$tag.log)  SEVERE: $(grep -c SEVERE /tmp/repro-$tag.log) WARNING: $(grep -c WARNING /tmp/repro-$tag.log)"
kill $pid; wait $pid 2>/dev/null
