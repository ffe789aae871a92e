#!/usr/bin/env bash
# Runs the Java scenario once for one SDK id (see ../CONTRACT.md). RESULT lines on stdout, the
# client's own logging (slf4j-simple, level COMPAT_JAVA_LOG, default warn) on stderr. Everything
# the client writes to disk goes under $COMPAT_TMP/<id>/. COMPAT_JAVA_MAIN picks another main class of the
# same build (the cluster pass runs dev.bnacos.compat.ClusterFailover); the default is the conformance Scenario.
set -euo pipefail
id=${1:?usage: run.sh java2|java3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/target/$id

: "${NACOS_ADDR:?NACOS_ADDR must be set (127.0.0.1:<httpPort>)}"
COMPAT_TMP=${COMPAT_TMP:-$(mktemp -d)}
COMPAT_RUN=${COMPAT_RUN:-$RANDOM}

if [[ ! -f $out/.built ]]; then
  "$here/build.sh" "$id" >&2
fi

t=$COMPAT_TMP/$id
mkdir -p "$t/home" "$t/tmp" "$t/logs" "$t/snapshot"

export COMPAT_SDK_ID=$id COMPAT_RUN NACOS_ADDR
exec timeout -k 5 85 java \
  -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Djava.io.tmpdir="$t/tmp" \
  -Duser.home="$t/home" \
  -Dnacos.home="$t/home/nacos" \
  -DJM.LOG.PATH="$t/logs" \
  -DJM.SNAPSHOT.PATH="$t/snapshot" \
  -Dnacos.logging.default.config.enabled=false \
  -Dproject.name="bnacos-compat-$id" \
  -Dorg.slf4j.simpleLogger.logFile=System.err \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${COMPAT_JAVA_LOG:-warn}" \
  -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
  -cp "$out/classes:$out/lib/*" \
  "${COMPAT_JAVA_MAIN:-dev.bnacos.compat.Scenario}"
