#!/usr/bin/env bash
# `mvn -Pwildfly package`: deploys the WAR to the configured WildFly (argument 1) and starts it in the foreground on
# port $2, the database driver $3 (h2, or postgresql when SWITCHBOARD_DB_URL is set). Ctrl-C stops it.
set -euo pipefail
home=$1 port=$2 driver=$3
cp "$(dirname "$0")/../../../target/switchboard.war" "$home/standalone/deployments/switchboard.war"
exec "$home/bin/standalone.sh" -c standalone-switchboard.xml -Djboss.http.port="$port" -Dswitchboard.db.driver="$driver"
