#!/usr/bin/env bash
# Builds the Java scenario for one SDK id (java2 = nacos-client 2.5.x, java3 = 3.x) into
# target/<id>/{classes,lib}. Skips all work when pom.xml and the sources are unchanged since the
# last successful build. Only Maven Central is used (through mvn and ~/.m2).
set -euo pipefail
id=${1:?usage: build.sh java2|java3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/target/$id

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found" >&2; exit 1; }
done

mkdir -p "$here/target"
# one lock for both ids: two Maven runs sharing ~/.m2 on a 2-core machine gain nothing
exec 9>"$here/target/.build.lock"
flock -w 900 9 || { echo "build.sh: another build holds $here/target/.build.lock" >&2; exit 1; }

hash=$(cd "$here" && { cat pom.xml build.sh; find src -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1)
if [[ -f $out/.built && $(cat "$out/.built") == "$hash" && -d $out/classes && -d $out/lib ]]; then
  exit 0
fi

rm -rf "$out"
log=$here/target/$id.build.log
if ! (cd "$here" && mvn -q -B -Dstyle.color=never -P "$id" compile) >"$log" 2>&1; then
  echo "build.sh: mvn failed for $id; log: $log" >&2
  tail -n 60 "$log" >&2
  exit 1
fi
echo "$hash" >"$out/.built"
