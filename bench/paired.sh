#!/usr/bin/env bash
# Two builds of Portico compared at the same moments (bench/README.md): both run at once on the
# same CPU (PROXY_CPUS), both get the same load at the same time from CLIENT_CPUS, and each pass
# gives the second build's requests per CPU-second over the first's. A change of the machine's
# speed during a pass slows both alike, which wire.sh's alternating rounds cannot promise.
#   JAR_A=before.jar JAR_B=after.jar CASE=h2 bench/paired.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

CASE=${CASE:-h1}               # h1 (HTTP/1.1 keep-alive), https (keep-alive over TLS), h2 (HTTP/2, 10 streams per connection)
PASSES=${PASSES:-8}            # measured passes (bounded: PASSES x PASS seconds)
PASS=${PASS:-8}                # seconds per pass
WARMUP=${WARMUP:-70}           # unmeasured load first: two JVMs share one CPU, so C2 takes twice as long
CONNECTIONS=${CONNECTIONS:-32} # per build (h2: CONNECTIONS / 4 connections of 10 streams)
PROXY_CPUS=${PROXY_CPUS:-1}; CLIENT_CPUS=${CLIENT_CPUS:-0}
PORTICO_JAVA=${PORTICO_JAVA:-java}
: "${JAR_A:?JAR_A: the first build (the baseline)}" "${JAR_B:?JAR_B: the second build}"
OUT=${OUT:-bench/out/paired-$(date +%Y%m%d-%H%M%S)}

case $CASE in h1|https|h2) ;; *) echo "bench: CASE=$CASE (expected: h1, https or h2)" >&2; exit 2 ;; esac
need h2load nginx openssl taskset curl "$PORTICO_JAVA"
for jar in "$JAR_A" "$JAR_B"; do [ -f "$jar" ] || { echo "bench: $jar not found" >&2; exit 2; }; done
setup_app "$CLIENT_CPUS" 1

declare -A PID URL
for build in a b; do
  jar=$JAR_A; [ "$build" = b ] && jar=$JAR_B
  hp=$(free_port); sp=$(free_port); ap=$(free_port)
  start_portico "$jar" "$OUT/portico-$build.log" "$hp" "$ap" --https-port "$sp" --event-loops 1
  PID[$build]=$PORTICO_PID
  case $CASE in
    h1) URL[$build]="--connect-to=127.0.0.1:$hp http://bench.test:$hp/" ;;
    *) URL[$build]="--connect-to=127.0.0.1:$sp https://bench.test:$sp/" ;;
  esac
done

# load SECONDS TAG [ORDER]: the case's load on both builds at once, h2load's reports in
# TAG-a/b.txt; ORDER ("a b" or "b a") is which load starts first, swapped every pass.
load() {
  local pids=() build
  for build in ${3:-a b}; do
    # shellcheck disable=SC2086
    case $CASE in
      h2) taskset -c "$CLIENT_CPUS" h2load -c $((CONNECTIONS / 4)) -m 10 -D "$1" ${URL[$build]} >"$OUT/$2-$build.txt" 2>&1 & ;;
      *) taskset -c "$CLIENT_CPUS" h2load --h1 -c "$CONNECTIONS" -D "$1" ${URL[$build]} >"$OUT/$2-$build.txt" 2>&1 & ;;
    esac
    pids+=($!)
  done
  wait "${pids[@]}" || true
}

load "$WARMUP" warmup
: >"$OUT/passes.tsv"
for ((i = 1; i <= PASSES; i++)); do
  a0=$(cpu_ticks "${PID[a]}"); b0=$(cpu_ticks "${PID[b]}")
  order="a b"; [ $((i % 2)) = 0 ] && order="b a"
  load "$PASS" "pass-$i" "$order"
  a1=$(cpu_ticks "${PID[a]}"); b1=$(cpu_ticks "${PID[b]}")
  na=$(awk '/^requests:/ {print $8}' "$OUT/pass-$i-a.txt"); nb=$(awk '/^requests:/ {print $8}' "$OUT/pass-$i-b.txt")
  awk -v i="$i" -v na="${na:-0}" -v nb="${nb:-0}" -v ta=$((a1 - a0)) -v tb=$((b1 - b0)) -v hz="$CLK_TCK" 'BEGIN {
      ra = ta > 0 ? na / (ta / hz) : 0; rb = tb > 0 ? nb / (tb / hz) : 0
      printf "%d\t%.0f\t%.2f\t%.0f\t%.2f\t%.3f\n", i, ra, ta / hz, rb, tb / hz, (ra > 0 ? rb / ra : 0) }' \
    | tee -a "$OUT/passes.tsv"
done

# A build that got less of the CPU in a pass waited longer between turns and did more per turn,
# which raises its requests per CPU-second: only passes whose CPU times are within 10% count.
awk -F'\t' -v c="$CASE" '
  { share = ($3 > $5 ? $3 / $5 : $5 / $3); if (share <= 1.10) { r[++n] = $6 } else skipped++ }
  END {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
    if (n == 0) { print c ": no pass gave both builds the same CPU; run more passes"; exit }
    printf "%s: B/A requests per CPU-second, median %.3f (%.3f-%.3f) over %d passes with equal CPU", c, (n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2), r[1], r[n], n
    if (skipped) printf " (%d left out: unequal CPU)", skipped
    print "" }' "$OUT/passes.tsv" | tee "$OUT/summary.txt"
