#!/usr/bin/env bash
# Makes the unpacked WildFly (argument 1) Switchboard's server: the EclipseLink and PostgreSQL modules (jars from
# argument 2, the build's target/runtime), then standalone-switchboard.xml from the stock standalone.xml through
# configure.cli. Starts from the stock file every time, so it can run again.
set -euo pipefail
home=$1
runtime=$2
here=$(cd "$(dirname "$0")" && pwd)
config=$home/standalone/configuration/standalone-switchboard.xml
if [[ -f $config && $config -nt $here/configure.cli && $config -nt $here/configure.sh
      && $config -nt $here/modules/org/eclipse/persistence/main/module.xml ]]; then
  exit 0
fi
base=$home/modules/system/layers/base
cp -r "$here/modules/." "$base/"
cp "$runtime/eclipselink.jar" "$base/org/eclipse/persistence/main/eclipselink.jar"
mkdir -p "$base/org/postgresql/main"
cp "$runtime/postgresql.jar" "$base/org/postgresql/main/postgresql.jar"
cp "$home/standalone/configuration/standalone.xml" "$config"
JAVA_OPTS="-Xmx256m" "$home/bin/jboss-cli.sh" --file="$here/configure.cli"
# the embedded server leaves its scratch files behind; a first start must not see them as history
rm -rf "$home/standalone/data" "$home/standalone/log" "$home/standalone/tmp" "$home/standalone/configuration/standalone_xml_history"
echo "wildfly.configured config=$config"
