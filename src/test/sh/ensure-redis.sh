#!/usr/bin/env bash
# Makes sure a Redis answers on $1:$2 (default 127.0.0.1:6379) for the cluster's integration tests: uses a running
# one, else starts Debian's redis-server (installing the package first when it is missing and we are root).
set -u
host=${1:-127.0.0.1}
port=${2:-6379}

ready() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }
wait_ready() { for _ in $(seq 1 30); do ready && return 0; sleep 1; done; return 1; }

ready && { echo "redis: already running on $host:$port"; exit 0; }

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "redis: installing Debian's redis-server package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends redis-server >/dev/null \
      || { echo "redis: install failed" >&2; exit 1; }
  else
    echo "redis: nothing answers on $host:$port and redis-server is not installed" >&2
    exit 1
  fi
fi
echo "redis: starting redis-server on $host:$port"
redis-server --bind "$host" --port "$port" --daemonize yes --save '' --appendonly no \
  --logfile /tmp/switchboard-it-redis-"$port".log || { echo "redis: start failed" >&2; exit 1; }
wait_ready && exit 0
echo "redis: started but nothing answers on $host:$port" >&2
exit 1
