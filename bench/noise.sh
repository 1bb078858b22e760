#!/usr/bin/env bash
# The noise floor of this machine for wire.sh's figures (bench/README.md): one Portico, warmed up
# once, then PASSES short passes of one case back to back, each with its requests per proxy
# CPU-second. Nothing changes in the process between passes, so their spread is what the machine
# adds, and what a same-run comparison of two builds has to beat.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

CASE=${CASE:-https}            # h1 (wrk) or https (h2load --h1), as wire.sh runs them
PASSES=${PASSES:-12}           # measured passes, back to back (bounded: PASSES x PASS seconds)
PASS=${PASS:-5}                # seconds per pass
WARMUP=${WARMUP:-20}           # unmeasured load first
CONNECTIONS=${CONNECTIONS:-32}
PROXY_CPUS=${PROXY_CPUS:-1}; CLIENT_CPUS=${CLIENT_CPUS:-0}
PORTICO_JAVA=${PORTICO_JAVA:-java}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
OUT=${OUT:-bench/out/noise-$(date +%Y%m%d-%H%M%S)}

case $CASE in h1) need wrk ;; https) need h2load openssl ;; *) echo "bench: CASE=$CASE (expected: h1 or https)" >&2; exit 2 ;; esac
need nginx taskset curl "$PORTICO_JAVA"
[ -f "$JAR" ] || { echo "bench: $JAR not found; build it: mvn -B -q -DskipTests package" >&2; exit 2; }
TLS=0; [ "$CASE" = https ] && TLS=1
setup_app "$CLIENT_CPUS" "$TLS"
PP=$(free_port); PA=$(free_port); PS=$(free_port)
TLS_ARGS=(); [ "$TLS" = 1 ] && TLS_ARGS=(--https-port "$PS")
start_portico "$JAR" "$OUT/portico.log" "$PP" "$PA" "${TLS_ARGS[@]}" --event-loops 1
PID=$PORTICO_PID

# load SECONDS FILE: the case's load for SECONDS, the tool's report in FILE.
load() {
  case $CASE in
    h1) taskset -c "$CLIENT_CPUS" wrk -t1 -c"$CONNECTIONS" -d"$1s" -H "Host: bench.test" "http://127.0.0.1:$PP/" >"$2" ;;
    https) taskset -c "$CLIENT_CPUS" h2load --h1 -c "$CONNECTIONS" -D "$1" --connect-to="127.0.0.1:$PS" \
      "https://bench.test:$PS/" >"$2" 2>&1 || true ;;
  esac
}

load "$WARMUP" "$OUT/warmup.txt"
: >"$OUT/passes.tsv"
for ((i = 1; i <= PASSES; i++)); do
  c0=$(cpu_ticks "$PID")
  load "$PASS" "$OUT/pass-$i.txt"
  c1=$(cpu_ticks "$PID")
  printf '%s\t%s\n' "$i" "$(per_cpu_second "$(requests_done "$OUT/pass-$i.txt")" $((c1 - c0)))" \
    | tee -a "$OUT/passes.tsv"
done
sort -t$'\t' -k2 -n "$OUT/passes.tsv" | awk -F'\t' -v c="$CASE" '{ v[NR] = $2 }
  END { printf "%s: %d passes of one process, requests per CPU-second: lowest %d, median %d, highest %d (highest/lowest %.2f)\n",
        c, NR, v[1], v[int((NR + 1) / 2)], v[NR], v[NR] / v[1] }' | tee "$OUT/summary.txt"
