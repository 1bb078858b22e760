#!/usr/bin/env bash
# Warm start (bench/README.md, section "Warm start"): how fast a replica serves in its first
# seconds, with and without the start-up warm-up (--warm-up), and with the JVM's ahead-of-time
# cache as the image records it (on Java 25 and later: one `run --exit-when-ready` with
# -XX:AOTCacheOutput first, then -XX:AOTCache). Each round starts Portico once per variant (cold:
# no warm-up; warm: the warm-up; aot: the warm-up and the cache), the order rotated each round,
# with the chart's JVM settings on PORTICO_JAVA, waits for /readyz, then measures
# one-second wrk runs back to back: HTTP/1.1 keep-alive (SECONDS_H1 of them), then HTTPS with a new
# connection, so a new handshake, per request (SECONDS_TLS). Prints requests per second for each
# second since ready, and the time from launch to ready. Everything runs on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

ROUNDS=${ROUNDS:-3}; SECONDS_H1=${SECONDS_H1:-10}; SECONDS_TLS=${SECONDS_TLS:-5}
WARM_UP=${WARM_UP:-3s}; CONNECTIONS=${CONNECTIONS:-8}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
PORTICO_JAVA=${PORTICO_JAVA:-java}
OUT=${OUT:-bench/out/warm-start-$(date +%Y%m%d-%H%M%S)}
need "$PORTICO_JAVA" wrk nginx curl openssl bc
[ -f "$JAR" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
setup_app "0-$(($(nproc) - 1))" 1

# rate SECONDS ARGS...: requests per second of one wrk run.
rate() {
  local seconds=$1; shift
  wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "$@" 2>/dev/null | awk '/^Requests\/sec/ {printf "%.0f", $2}'
}

FEATURE=$("$PORTICO_JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
VARIANTS=${VARIANTS:-cold warm}
AOT_CACHE=$OUT/portico.aot
if [ "${FEATURE%%.*}" -ge 25 ] && [ "$VARIANTS" = "cold warm" ]; then
  VARIANTS="cold warm aot"
fi
case " $VARIANTS " in
  *" aot "*)
    # The image build's training run: a whole start with the warm-up, recorded at exit.
    # shellcheck disable=SC2086
    "$PORTICO_JAVA" ${PORTICO_JAVA_OPTS:-} -XX:AOTCacheOutput="$AOT_CACHE" -jar "$JAR" run \
      --manifests "$OUT/manifests" --bind 127.0.0.1 --http-port "$(free_port)" \
      --https-port "$(free_port)" --admin-port "$(free_port)" --access-log off \
      --warm-up "$WARM_UP" --exit-when-ready >"$OUT/aot-training.log" 2>&1 \
      || { echo "bench: the training run failed, see $OUT/aot-training.log" >&2; exit 1; } ;;
esac

# run VARIANT: one start of Portico, measured; prints one table row.
run() {
  local variant=$1 warm=$WARM_UP cache="" pp pa ps pid t0 ready row i
  [ "$variant" = cold ] && warm=0s
  [ "$variant" = aot ] && cache="-XX:AOTCache=$AOT_CACHE"
  pp=$(free_port); pa=$(free_port); ps=$(free_port)
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$PORTICO_JAVA" ${PORTICO_JAVA_OPTS:-} $cache -jar "$JAR" run --manifests "$OUT/manifests" --bind 127.0.0.1 \
    --http-port "$pp" --https-port "$ps" --admin-port "$pa" --access-log off --shutdown-delay 0s \
    --warm-up "$warm" >"$OUT/portico-$variant-$ROUND.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pa/readyz" || true)" = 200 ] && break
    sleep 0.05
  done
  ready=$(echo "$(date +%s.%N) - $t0" | bc)
  row="| $variant | $ROUND | $(printf '%.1f' "$ready") |"
  for i in $(seq "$SECONDS_H1"); do
    row="$row $(rate 1 -H 'Host: bench.test' "http://127.0.0.1:$pp/")"
  done
  row="$row |"
  for i in $(seq "$SECONDS_TLS"); do
    row="$row $(rate 1 -H 'Host: bench.test' -H 'Connection: close' "https://127.0.0.1:$ps/")"
  done
  echo "$row |"
  stop_pid "$pid"
}

{
  echo "jar: $JAR; java: $PORTICO_JAVA ($FEATURE); JVM: ${PORTICO_JAVA_OPTS:-defaults}; warm-up: $WARM_UP; wrk -t1 -c$CONNECTIONS"
  echo
  echo "| variant | round | ready after s | HTTP/1.1 req/s, each second since ready | HTTPS new connections/s, each second after |"
  echo "| --- | ---: | ---: | --- | --- |"
  read -r -a order <<<"$VARIANTS"
  for ROUND in $(seq "$ROUNDS"); do
    for i in "${!order[@]}"; do
      run "${order[$(((i + ROUND - 1) % ${#order[@]}))]}"
    done
  done
} | tee "$OUT/summary.md"
