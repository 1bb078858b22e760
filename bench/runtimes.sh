#!/usr/bin/env bash
# The runtime comparison of issue 19 in one command (bench/README.md): bench/wire.sh with one
# Portico variant per collector, every one in the chart's default 512 MiB memory limit with the
# image's heap settings, on the image's Java (the Temurin 25 JDK where installed),
# ROUNDS rounds (3 by default) with the variants' order rotated, each figure a same-round ratio to
# nginx; and "defaults", no options at all: what `java -jar` picks on this machine. Everything
# else (DURATION, CASES, ...) passes through to wire.sh, e.g.
#   bench/runtimes.sh                                  # about 2 h on a quiet machine
#   ROUNDS=1 DURATION=5 WARMUP=10 HS_WARMUP=5 bench/runtimes.sh   # a short check that it runs
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PORTICO_JAVA:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /opt/java/openjdk/bin/java; do
    [ -x "$candidate" ] && { PORTICO_JAVA=$candidate; break; }
  done
  : "${PORTICO_JAVA:=java}"
fi
export PORTICO_JAVA

# MaxRAM stands in for the container's limit; the heap is sized as the image sizes it (lib.sh sets
# the image's MALLOC_ARENA_MAX). serial-young32 is Serial with a 32 MiB young generation instead of
# a third of the heap: what RSS under 256 MiB at 5,000 Ingresses costs in pauses and tail latency.
LIMIT="-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
# Generational ZGC is the only ZGC from JDK 24 on, and a flag before (JDK 21-23). Generational
# Shenandoah is a product option from JDK 25 on: an older JVM fails wire.sh's check of the variants.
FEATURE=$("$PORTICO_JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
ZGC="-XX:+UseZGC"
[ "${FEATURE:-0}" -lt 24 ] && ZGC="$ZGC -XX:+ZGenerational"
export ROUNDS=${ROUNDS:-3}
export VARIANTS=${VARIANTS:-"serial=$LIMIT -XX:+UseSerialGC
serial-young32=$LIMIT -XX:+UseSerialGC -Xmn32m
parallel=$LIMIT -XX:+UseParallelGC
g1=$LIMIT -XX:+UseG1GC
zgc=$LIMIT $ZGC
shenandoah=$LIMIT -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational
defaults="}
exec bench/wire.sh
