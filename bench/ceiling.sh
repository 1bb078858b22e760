#!/usr/bin/env bash
# The ceiling of a server side on Netty handlers (bench/README.md): Portico, nginx and
# NettyCeiling (an HTTP/1.1 proxy made of Netty's codecs and nothing else) in the same wire.sh
# rounds. The ceiling's requests per CPU-second over nginx's bound what moving Portico's plain
# HTTP/1.1 exchanges off Vert.x's server could reach; Portico's own row says where it is now.
#   PORTICO_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ROUNDS=3 bench/ceiling.sh
# Knobs are wire.sh's (ROUNDS, DURATION, WARMUP, CONNECTIONS, ...); CASES defaults to h1 and
# h1-fixed, the rows the ceiling serves (it has no TLS).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

CP=bench/target/classpath.txt
[ -f "$CP" ] && [ -d bench/target/classes ] || {
  echo "bench: $CP not found; build first: mvn -B -q -DskipTests package" >&2; exit 2; }
OUT=${OUT:-bench/out/ceiling-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# A jar wire.sh can start with -jar: the bench classes and their classpath, as absolute file URLs.
{
  echo "Main-Class: io.portico.bench.NettyCeiling"
  {
    printf 'Class-Path: file:%s/' "$(cd bench/target/classes && pwd)"
    tr ':' '\n' <"$CP" | while read -r entry; do printf ' file:%s' "$entry"; done
    echo
  } | fold -w 69 | sed '2,$s/^/ /'   # manifest lines are at most 72 bytes; a space continues one
} >"$OUT/manifest.txt"
jar --create --file "$OUT/ceiling.jar" --manifest "$OUT/manifest.txt"

OPTS=$PORTICO_JAVA_OPTS  # lib.sh: the image's settings unless set
export OUT CASES=${CASES:-h1 h1-fixed}
export VARIANTS="portico=$OPTS
ceiling=jar=$OUT/ceiling.jar $OPTS"
exec bench/wire.sh
