#!/bin/sh
# Starts Payara Micro with the ahead-of-time cache a training run made for this JVM (README "Start-up"):
#
#   start.sh PAYARA_MICRO_JAR [Payara Micro options ...]
#
# The JVM is $JAVA (default: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH), its options $JAVA_OPTS. $SWITCHBOARD_CDS_DIR (default: the folder of
# PAYARA_MICRO_JAR) holds the caches train-cds.sh makes, one per JVM build and Payara Micro jar, on JDK 25 and later
# (-XX:AOTCache): the JVM maps the classes it holds, parsed, verified and linked, with their profiles, instead of
# loading them again. With no matching cache (older JDKs have none), or with SWITCHBOARD_CDS=off, the JVM starts as it
# would without this script.
#   SWITCHBOARD_CDS=record  this run writes the archive (ARCHIVE.tmp) when the JVM exits: the training run
#   SWITCHBOARD_CDS=print   prints the archive's path for this JVM and exits (nothing is started)
set -eu
# absolute: the archive names the class path it was made with
jar=$(readlink -f "$1")
shift
java=${JAVA:-}
if [ -z "$java" ]; then
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
fi
mode=${SWITCHBOARD_CDS:-auto}
dir=${SWITCHBOARD_CDS_DIR:-$(dirname "$jar")}

# The JVM's identity from its release file (no JVM start), else from `java -version`.
bin=$(command -v "$java" || echo "$java")
home=$(dirname "$(dirname "$(readlink -f "$bin" 2>/dev/null || echo "$bin")")")
if [ -r "$home/release" ]; then
    id=$(grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION|JVM_VARIANT)=' "$home/release" | tr -d '"' | tr '\n' ' ')
    major=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$home/release")
else
    id=$("$java" -version 2>&1 | tr '\n' ' ')
    major=$(echo "$id" | sed -n 's/.*version "\([0-9]*\).*/\1/p')
fi
major=${major:-0}
[ "$major" -gt 1 ] 2>/dev/null || major=0
# A cache is only valid for the JVM build, the very jar (size, time) and the JVM options it was made with (the JVM
# refuses one made with, say, other object headers, with errors in the log): all three name the file, so a start with
# other options finds none and starts as without this script. An @argfile in JAVA_OPTS counts by its content.
opts=
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
for o in ${JAVA_OPTS:-}; do
    case $o in
        @*) opts="$opts $o:$(cksum < "${o#@}" 2>/dev/null)" ;;
        *) opts="$opts $o" ;;
    esac
done
key=$(printf '%s|%s|%s|%s' "$id" "$jar" "$(stat -c '%s %Y' "$jar" 2>/dev/null)" "$opts" | cksum | cut -d' ' -f1)
# JDK 13-24 could write a dynamic CDS archive (-XX:ArchiveClassesAtExit), but Payara Micro loads its classes through
# its own class loader, for which such an archive saves nothing measurable (README "Start-up"); none is made there.
if [ "$major" -ge 25 ]; then
    archive=$dir/payara-jdk$major-$key.aot
else
    archive=
fi

flags=
case $mode in
    print)
        echo "$archive"
        exit 0 ;;
    record)
        if [ -n "$archive" ]; then
            mkdir -p "$dir"
            rm -f "$archive.tmp"
            flags="-XX:AOTCacheOutput=$archive.tmp"
        fi ;;
    off) ;;
    *)
        if [ -n "$archive" ] && [ -s "$archive" ]; then
            flags="-XX:AOTCache=$archive"
        fi ;;
esac
# shellcheck disable=SC2086 # JAVA_OPTS and flags are lists of options
exec "$java" $flags ${JAVA_OPTS:-} -jar "$jar" "$@"
