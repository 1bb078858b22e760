#!/usr/bin/env bash
# Config propagation benchmark (bench/README.md): starts the backend (nginx, two ports answering
# "b1" and "b2"), then io.portico.bench.PropagationBench, which loads 1, 1,000 and 5,000 Ingresses
# into Portico (manifest folder, mock API server) and nginx in turn, changes an Ingress, an
# EndpointSlice and (with an HTTPS listener) a Secret 50 times each under a steady wrk load, and
# prints time-to-serve p50/p99, failed requests, RSS and heap; for Portico it then writes
# class-histogram.txt (and native-memory.txt with -XX:NativeMemoryTracking in PORTICO_JAVA_OPTS)
# into its work folder. PORTICO_JAVA picks the java executable that runs Portico. Arguments are
# passed through, e.g.
#   bench/propagation.sh --targets portico-manifests --sizes 1000 --changes 20
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

PORTICO_JAVA=${PORTICO_JAVA:-java}  # the java executable that runs Portico (jcmd: the one beside it)
need wrk nginx java jcmd curl openssl "$PORTICO_JAVA"
JAR=${PORTICO_JAR:-controller/target/portico.jar}
CP=bench/target/classpath.txt
[ -f "$JAR" ] && [ -f "$CP" ] || {
  echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
OUT=${OUT:-bench/out/propagation-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT
CLIENT_CPUS=${CLIENT_CPUS:-0-$(($(nproc) - 1))}
B1=$(free_port); B2=$(free_port)
start_backend "$OUT/backend" "$B1" "$B2" "$CLIENT_CPUS"

java ${BENCH_JAVA_OPTS:--Xmx2g} "-Dportico.java=$PORTICO_JAVA" -cp "bench/target/classes:$(cat "$CP")" io.portico.bench.PropagationBench \
  --jar "$JAR" --backends "$B1,$B2" --out "$OUT" --java-opts "${PORTICO_JAVA_OPTS:-}" "$@" \
  2>&1 | tee "$OUT/run.log"
