#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on $1:$2 (default 127.0.0.1:5432) with trust auth for user postgres,
# for the integration tests: uses a running one, else starts the installed Debian cluster, else installs
# Debian's postgresql package (needs root) and starts it.
set -u
host=${1:-127.0.0.1}
port=${2:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null || (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }
wait_ready() { for _ in $(seq 1 30); do ready && return 0; sleep 1; done; return 1; }

ready && { echo "postgres: already running on $host:$port"; exit 0; }

start_cluster() {
  local ver
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ver" ] || return 1
  echo "postgres: starting Debian cluster $ver/main"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main start
  wait_ready
}

start_cluster && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "postgres: installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null || { echo "postgres: install failed" >&2; exit 1; }
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  # the tests connect as postgres without a password, as on the project's machines
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  start_cluster && exit 0
fi
echo "postgres: nothing answers on $host:$port and it could not be started" >&2
exit 1
