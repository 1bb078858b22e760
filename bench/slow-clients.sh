#!/usr/bin/env bash
# Hostile clients against one Portico (bench/README.md, section "Slow clients"): HTTP/2 uploads
# (over TLS) that fill every flow-control window towards a backend that never reads, HTTP/1.1 heads
# and bodies that drip in on the plain port. Prints Portico's live heap (after a full GC, jcmd GC.class_histogram) and resident
# memory before and during the uploads, and how many of the dripping connections Portico closed.
# Everything runs on 127.0.0.1, bounded in time (SECONDS per attack) and count (CONNECTIONS).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

CONNECTIONS=${CONNECTIONS:-20}; STREAMS=${STREAMS:-100}; SECONDS_PER_ATTACK=${SECONDS_PER_ATTACK:-30}
SLOW_CONNECTIONS=${SLOW_CONNECTIONS:-200}; CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-10s}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
CP=bench/target/classpath.txt
OUT=${OUT:-bench/out/slow-clients-$(date +%Y%m%d-%H%M%S)}
need java jcmd curl openssl
[ -f "$JAR" ] && [ -f "$CP" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$OUT/manifests"; OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT
ATTACK=(java -cp "bench/target/classes:$(cat "$CP")" io.portico.bench.SlowClientAttack)

BP=$(free_port)
"${ATTACK[@]}" backend "$BP" >"$OUT/backend.log" 2>&1 &
STARTED_PIDS+=("$!")
make_certs "$OUT"
write_manifests "$OUT/manifests/app.yaml" "$BP" "$OUT"

PP=$(free_port); PA=$(free_port); PS=$(free_port)
# The flags this jar knows: a jar from before them (a baseline) runs with its own defaults.
HELP=$(java -jar "$JAR" run --help 2>&1 || true)
FLAGS=()
for flag in "--client-header-timeout=$CLIENT_TIMEOUT" "--client-body-timeout=$CLIENT_TIMEOUT"; do
  grep -q -- "${flag%%=*}" <<<"$HELP" && FLAGS+=("$flag")
done
# shellcheck disable=SC2086
java ${PORTICO_JAVA_OPTS:-} -jar "$JAR" run --manifests "$OUT/manifests" --bind 127.0.0.1 \
  --http-port "$PP" --admin-port "$PA" --https-port "$PS" --event-loops 1 --log-level warn \
  --access-log off --shutdown-delay 0s "${FLAGS[@]}" >"$OUT/portico.log" 2>&1 &
PID=$!
STARTED_PIDS+=("$PID")
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PA/readyz" && break
  sleep 0.2
done

# live_mib: Portico's live heap after a full GC, MiB.
live_mib() {
  jcmd "$PID" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%.1f", $3 / 1048576}'
}
sample() {
  if kill -0 "$PID" 2>/dev/null; then
    echo "| $1 | $(live_mib) | $(( $(rss_kib "$PID") / 1024 )) |"
  else
    echo "| $1 | Portico exited (see $OUT/portico.log) | |"
  fi
}

{
  echo "jar: $JAR; flags: ${FLAGS[*]:-none}; JVM: ${PORTICO_JAVA_OPTS:-defaults}"
  echo
  echo "| moment | live heap MiB | RSS MiB |"
  echo "| --- | --- | --- |"
  sample "idle"
  "${ATTACK[@]}" h2-bodies "$PS" "$CONNECTIONS" "$STREAMS" "$SECONDS_PER_ATTACK" >"$OUT/h2.txt" 2>&1 &
  ATTACKER=$!
  STARTED_PIDS+=("$ATTACKER")
  for t in $(seq 10 10 "$SECONDS_PER_ATTACK"); do
    sleep 10
    sample "h2-bodies ${t}s ($CONNECTIONS connections x $STREAMS streams)"
  done
  wait "$ATTACKER" || true
  sample "after h2-bodies"
  echo
  cat "$OUT/h2.txt"
  "${ATTACK[@]}" slow-heads "$PP" "$SLOW_CONNECTIONS" "$SECONDS_PER_ATTACK" 1 2>&1
  "${ATTACK[@]}" slow-bodies "$PP" "$SLOW_CONNECTIONS" "$SECONDS_PER_ATTACK" 15 2>&1
} | tee "$OUT/summary.md"
