#!/usr/bin/env bash
# Data-plane benchmark, Portico and nginx side by side in one run on 127.0.0.1 (bench/README.md).
#
# One backend (nginx, one worker, fixed 3-byte answer, keep-alive) serves both proxies. Each proxy
# gets the same rule (host bench.test, Prefix /), an upstream keep-alive pool, no access log
# (Portico: --access-log off; its default is a text line per request) and
# WORKERS event loops / worker processes, pinned with taskset to PROXY_CPUS; wrk, h2load and the
# backend are pinned to CLIENT_CPUS. Figures per proxy:
#   h1        HTTP/1.1 keep-alive, wrk -t1 -cCONNECTIONS: req/s, p50, p99, requests per proxy CPU-second
#   h1-fixed  HTTP/1.1 keep-alive at FIXED_RPS offered (h2load --rps): p50, p99 at the same load
#   https     HTTPS keep-alive (h2load --h1): req/s, p50, p99, requests per CPU-second   [needs TLS]
#   h2        HTTP/2 over TLS (h2load, 10 streams per connection): same figures        [needs TLS]
#   hs-ecdsa  new TLS connection per request (h2load --rate, 1 request per connection),
#   hs-rsa    ECDSA P-256 and RSA 2048 certificates: handshakes/s and per CPU-second  [needs TLS]
# The TLS rows run when `portico run --help` lists --https-port (the HTTPS listener).
# CPU is utime+stime from /proc/PID/stat (nginx: master and workers) around each measured run.
# ROUNDS runs everything again, nginx first and then every Portico variant (VARIANTS: one
# "name=JVM options" per line, whose first words may be jar=PATH to run another build and
# java=PATH to run it on another java; the default
# is one variant with PORTICO_JAVA_OPTS), the variants' order rotated by one each round; each
# Portico figure is divided by nginx's of the same round, and the table gives the median and the
# range of those ratios. PORTICO_JAVA picks the java executable. Each Portico process logs its
# safepoints, so the table has the stop-the-world pauses of every measured run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DURATION=${DURATION:-15}       # seconds per measured run (bounded)
WARMUP=${WARMUP:-40}           # unmeasured load first: C2 needs ~30 s at this rate on one CPU
WARMUP_RUNS=${WARMUP_RUNS:-1}  # the warm-up in this many runs, each on new connections (see warm_up)
JIT_SETTLE_MAX=${JIT_SETTLE_MAX:-0}  # then Portico's until its JIT is quiet, at most this long (s)
CONNECTIONS=${CONNECTIONS:-32}
WORKERS=${WORKERS:-1}          # Portico --event-loops = nginx worker_processes
PROXY_CPUS=${PROXY_CPUS:-1}    # taskset list for the proxy under test
CLIENT_CPUS=${CLIENT_CPUS:-0}  # taskset list for wrk/h2load and the backend
FIXED_RPS=${FIXED_RPS:-2000}   # offered load for the same-load latency row
HS_RATE=${HS_RATE:-200}        # new TLS connections per second offered in the handshake rows
HS_WARMUP=${HS_WARMUP:-30}     # seconds of unmeasured handshakes before the first handshake row
HS_WARMUP_RATE=${HS_WARMUP_RATE:-600}  # new TLS connections per second during that warm-up
CASES=${CASES:-h1 h1-fixed https h2 hs-ec hs-rsa}  # the rows to run (TLS rows need TLS)
ROUNDS=${ROUNDS:-1}            # nginx and every variant, this many times
PORTICO_JAVA=${PORTICO_JAVA:-java}  # the java executable that runs Portico
VARIANTS=${VARIANTS:-portico=$PORTICO_JAVA_OPTS}  # "name=[jar=PATH] [java=PATH] JVM options" per line
JAR=${PORTICO_JAR:-controller/target/portico.jar}
OUT=${OUT:-bench/out/wire-$(date +%Y%m%d-%H%M%S)}

need wrk nginx taskset curl "$PORTICO_JAVA"
HAVE_H2LOAD=0; has h2load && HAVE_H2LOAD=1
[ -f "$JAR" ] || { echo "bench: $JAR not found; build it: mvn -B -q -DskipTests package" >&2; exit 2; }
TLS=0
if "$PORTICO_JAVA" -jar "$JAR" run --help 2>/dev/null | grep -q -- '--https-port'; then
  if [ "$HAVE_H2LOAD" = 1 ] && has openssl; then TLS=1; fi
else
  echo "bench: $JAR has no --https-port (no HTTPS listener yet): TLS rows skipped" >&2
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT
B1=$(free_port); B2=$(free_port)
start_backend "$OUT/backend" "$B1" "$B2" "$CLIENT_CPUS"

if [ "$TLS" = 1 ]; then make_certs "$OUT/certs"; fi

client() { taskset -c "$CLIENT_CPUS" "$@"; }

# percentiles FILE: p50 and p99 (ms) of h2load --log-file (third column: microseconds).
percentiles() {
  awk -F'\t' '$2 >= 200 && $2 < 400 { print $3 }' "$1" | sort -n | awk '
    { v[NR] = $1 }
    END { if (NR == 0) { print "- -"; exit }
          i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999);
          printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }'
}

RESULTS=$OUT/results.tsv
: >"$RESULTS"
ROUND=1
SAFEPOINTS=""  # the safepoint log of the Portico process under test; empty for nginx
# record PROXY CASE REQ_PER_S P50 P99 PER_CPU_S FAILED [STW_MS STW_MAX_MS]: one row of the round.
record() {
  local stw="${8:--}" stw_max="${9:--}"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$stw" "$stw_max" >>"$RESULTS"
}

# threads_before PID FILE / threads_after PID FILE: around a measured Portico pass, which of its
# threads spent the pass's CPU (event loop, JIT compilers, collector, ...), into FILE's
# -threads.txt; nothing for nginx.
threads_before() {
  [ -n "$SAFEPOINTS" ] && thread_ticks "$1" >"$2.threads-before"
  return 0
}
threads_after() {
  [ -n "$SAFEPOINTS" ] || return 0
  thread_ticks "$1" >"$2.threads-after"
  thread_ticks_since "$2.threads-before" "$2.threads-after" >"${2%.txt}-threads.txt"
  rm -f "$2.threads-before" "$2.threads-after"
}

# run_wrk PROXY CASE PID URL: closed-loop keep-alive load; fills req/s, p50, p99, per CPU-second.
run_wrk() {
  local proxy=$1 case=$2 pid=$3 url=$4 file="$OUT/r$ROUND-$1-$2.txt" c0 c1 mark
  mark=$(safepoint_mark)
  threads_before "$pid" "$file"
  c0=$(cpu_ticks "$pid")
  client wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Host: bench.test" "$url" >"$file"
  c1=$(cpu_ticks "$pid")
  threads_after "$pid" "$file"
  local rps requests p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' "$file")
  requests=$(requests_done "$file")
  p50=$(wrk_ms "$file" 50)
  p99=$(wrk_ms "$file" 99)
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$file")
  # shellcheck disable=SC2046
  record "$proxy" "$case" "$rps" "$p50" "$p99" "$(per_cpu_second "$requests" $((c1 - c0)))" "$errors" \
    $(safepoints_since "$mark")
}

# run_h2load PROXY CASE PID ARGS...: h2load run with a per-request log; same figures as run_wrk.
run_h2load() {
  local proxy=$1 case=$2 pid=$3 file="$OUT/r$ROUND-$1-$2.txt" log="$OUT/r$ROUND-$1-$2.log" c0 c1 mark
  shift 3
  mark=$(safepoint_mark)
  threads_before "$pid" "$file"
  c0=$(cpu_ticks "$pid")
  client h2load --log-file="$log" "$@" >"$file" 2>&1 || true
  c1=$(cpu_ticks "$pid")
  threads_after "$pid" "$file"
  local failed pcts
  failed=$(awk '/^requests:/ {print $10 + $12}' "$file")
  pcts=$(percentiles "$log")
  record "$proxy" "$case" "$(h2load_rate "$file")" ${pcts% *} ${pcts#* } \
    "$(per_cpu_second "$(requests_done "$file")" $((c1 - c0)))" "${failed:-0}" $(safepoints_since "$mark")
}

# want CASE: whether CASES lists the case.
want() { [[ " $CASES " == *" $1 "* ]]; }

# warm_up CASE PID TOOL ARGS...: the load wrk or h2load gives with ARGS, unmeasured: WARMUP seconds
# in WARMUP_RUNS runs, each on new connections; then, for Portico and when JIT_SETTLE_MAX is set,
# 5 s runs until its JIT compilers spend at most 1% of one, JIT_SETTLE_MAX seconds at most (the
# extra seconds go to warm-up.tsv). nginx has nothing to wait for. Both are off by default, so the
# published rows keep their method: with them, the HTTP/1.1 row's p99 at saturation stayed 2.4-3.9x
# nginx's (bench/README.md, the tail at saturation).
warm_up() {
  local case=$1 pid=$2 tool=$3 i each=$(((WARMUP + WARMUP_RUNS - 1) / WARMUP_RUNS)) extra=0 k0 k1
  shift 3
  for ((i = 0; i < WARMUP_RUNS; i++)); do load_for "$each" "$tool" "$@"; done
  [ -n "$SAFEPOINTS" ] && ((JIT_SETTLE_MAX > 0)) || return 0
  while ((extra < JIT_SETTLE_MAX)); do
    k0=$(compiler_ticks "$pid"); load_for 5 "$tool" "$@"; k1=$(compiler_ticks "$pid")
    extra=$((extra + 5))
    ((k1 - k0 <= CLK_TCK * 5 / 100)) && break
  done
  # shellcheck disable=SC2154 # proxy: measure's, the caller
  printf '%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$proxy" "$case" "$extra" "$((k1 - k0))" >>"$OUT/warm-up.tsv"
  echo "bench: JIT settled after ${extra}s more (compilers: $((k1 - k0)) ticks in the last 5 s)" >&2
}

# load_for SECONDS TOOL ARGS...: one unmeasured run of wrk or h2load.
load_for() {
  local seconds=$1 tool=$2
  shift 2
  case $tool in
    wrk) client wrk -d"${seconds}s" "$@" >/dev/null ;;
    h2load) client h2load -D "$seconds" "$@" >/dev/null 2>&1 || true ;;
  esac
}

# measure PROXY PID HTTP_PORT HTTPS_PORT: every case against one running proxy.
measure() {
  local proxy=$1 pid=$2 port=$3 sport=$4
  if want h1 || want h1-fixed; then
    echo "bench: $proxy: warm-up ${WARMUP}s in $WARMUP_RUNS runs" >&2
    warm_up h1 "$pid" wrk -t1 -c"$CONNECTIONS" -H "Host: bench.test" "http://127.0.0.1:$port/"
  fi
  if want h1; then
    echo "bench: $proxy: h1" >&2
    run_wrk "$proxy" h1 "$pid" "http://127.0.0.1:$port/"
  fi
  if [ "$HAVE_H2LOAD" = 1 ] && want h1-fixed; then
    echo "bench: $proxy: h1-fixed at $FIXED_RPS req/s (10 s unmeasured first: the JIT recompiles for the lighter load)" >&2
    client h2load --h1 -c 16 --rps $((FIXED_RPS / 16)) -D 10 \
      --connect-to="127.0.0.1:$port" "http://bench.test:$port/" >/dev/null 2>&1 || true
    run_h2load "$proxy" h1-fixed "$pid" --h1 -c 16 --rps $((FIXED_RPS / 16)) -D 10 \
      --connect-to="127.0.0.1:$port" "http://bench.test:$port/"
  fi
  if [ "$TLS" = 1 ]; then
    if want https || want h2; then
      echo "bench: $proxy: https, h2" >&2
      warm_up https "$pid" h2load --h1 -c "$CONNECTIONS" --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/"
    fi
    if want https; then
      run_h2load "$proxy" https "$pid" --h1 -c "$CONNECTIONS" -D "$DURATION" \
        --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/"
    fi
    if want h2; then
      # HTTP/2 is its own code path (streams, frames, flow control): its own warm-up.
      load_for 10 h2load -c 8 -m 10 --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/"
      run_h2load "$proxy" h2 "$pid" -c 8 -m 10 -D "$DURATION" \
        --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/"
    fi
    local kind n warm
    for kind in ec rsa; do
      want "hs-$kind" || continue
      echo "bench: $proxy: hs-$kind" >&2
      # A new connection per request is its own code path too (accept, engine, handshake, pipeline):
      # unmeasured handshakes first, HS_WARMUP seconds at HS_WARMUP_RATE (10 s for the second key
      # type, which shares the code). Without it Portico's C2 compiler took half of the CPU of the
      # measured run, and it compiles until about 18,000 handshakes have run (bench/RESULTS.md).
      warm=$HS_WARMUP; [ $kind = rsa ] && want hs-ec && warm=10
      n=$((HS_WARMUP_RATE * warm))
      [ "$n" -gt 0 ] && client h2load --h1 -n "$n" -c "$n" --rate "$HS_WARMUP_RATE" --rate-period 1s \
        --connect-to="127.0.0.1:$sport" "https://$kind.bench.test:$sport/" >/dev/null 2>&1 || true
      n=$((HS_RATE * DURATION))
      run_h2load "$proxy" "hs-$kind" "$pid" --h1 -n "$n" -c "$n" --rate "$HS_RATE" --rate-period 1s \
        --connect-to="127.0.0.1:$sport" "https://$kind.bench.test:$sport/"
    done
  fi
}

# ---- nginx ----------------------------------------------------------------------------------
NGX=$OUT/nginx
NP=$(free_port); NS=$(free_port)
CERTS=""; if [ "$TLS" = 1 ]; then CERTS=$OUT/certs; fi
write_nginx_proxy "$NGX" "$NP" "$NS" "$WORKERS" "$B1" "$CERTS"
# run_nginx: one nginx, every case, stopped again.
run_nginx() {
  SAFEPOINTS=""
  taskset -c "$PROXY_CPUS" nginx -p "$NGX" -c "$NGX/nginx.conf" -e stderr >"$NGX/stdout.log" 2>&1 &
  NGINX_PID=$!
  STARTED_PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$NP/" bench.test 10
  measure nginx "$NGINX_PID" "$NP" "$NS"
  stop_pid "$NGINX_PID"
}

# ---- Portico --------------------------------------------------------------------------------
PM=$OUT/portico-manifests
mkdir -p "$PM"
write_manifests "$PM/app.yaml" "$B1" "$CERTS"
PP=$(free_port); PS=$(free_port); PA=$(free_port)
PORTICO_ARGS=(run --manifests "$PM" --bind 127.0.0.1 --http-port "$PP" --admin-port "$PA"
  --event-loops "$WORKERS" --log-level warn --access-log off --shutdown-delay 0s)
[ "$TLS" = 1 ] && PORTICO_ARGS+=(--https-port "$PS")
RSS=$OUT/rss.tsv
: >"$RSS"

# split_variant OPTIONS: sets VJAR, VJAVA and VOPTS from a variant's options, whose first words
# may be jar=PATH (that build of Portico instead of JAR: two builds compared in alternating rounds)
# and java=PATH (that java instead of PORTICO_JAVA: two runtimes compared the same way).
split_variant() {
  VJAR=$JAR; VJAVA=$PORTICO_JAVA; VOPTS=$1
  local word
  while [[ $VOPTS == jar=* || $VOPTS == java=* ]]; do
    read -r word VOPTS <<<"$VOPTS"
    case $word in
      jar=*) VJAR=${word#jar=}
             [ -f "$VJAR" ] || { echo "bench: variant jar $VJAR not found" >&2; exit 2; } ;;
      java=*) VJAVA=${word#java=}
              [ -x "$VJAVA" ] || { echo "bench: variant java $VJAVA not found" >&2; exit 2; } ;;
    esac
  done
}

# run_portico NAME OPTIONS: one Portico with these JVM options, every case, its RSS, stopped again.
run_portico() {
  local name=$1 dir="$OUT/r$ROUND-$1" opts jar
  split_variant "$2"; opts=$VOPTS; jar=$VJAR
  mkdir -p "$dir"
  SAFEPOINTS=$dir/safepoints.log
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPUS" "$VJAVA" $opts "-Xlog:safepoint:file=$SAFEPOINTS:uptime" \
    -jar "$jar" "${PORTICO_ARGS[@]}" >"$dir/portico.log" 2>&1 &
  PORTICO_PID=$!
  STARTED_PIDS+=("$PORTICO_PID")
  wait_http "http://127.0.0.1:$PP/" bench.test 60
  echo "$PORTICO_PID" >"$OUT/portico.pid"
  [ -n "${BEFORE_PORTICO_MEASURE:-}" ] && eval "$BEFORE_PORTICO_MEASURE"
  measure "$name" "$PORTICO_PID" "$PP" "$PS"
  [ -n "${AFTER_PORTICO_MEASURE:-}" ] && eval "$AFTER_PORTICO_MEASURE"
  printf '%s\t%s\t%s\n' "$ROUND" "$name" "$(($(rss_kib "$PORTICO_PID") / 1024))" >>"$RSS"
  stop_pid "$PORTICO_PID"
  SAFEPOINTS=""
}

mapfile -t VARIANT_LINES < <(printf '%s\n' "$VARIANTS" | grep -v '^[[:space:]]*$')
for line in "${VARIANT_LINES[@]}"; do
  name=${line%%=*}
  [[ $name =~ ^[A-Za-z0-9_.+-]+$ && $name != nginx && $line == *=* ]] || {
    echo "bench: VARIANTS line: $line (expected: name=JVM options, name of letters, digits, . _ + -)" >&2; exit 2; }
  # A collector this JVM lacks or a mistyped flag fails here, not after an hour of rounds.
  split_variant "${line#*=}"
  # shellcheck disable=SC2086
  "$VJAVA" $VOPTS -version >/dev/null 2>"$OUT/variant-$name.err" || {
    echo "bench: variant $name: $VJAVA does not start with these options: $VOPTS" >&2
    cat "$OUT/variant-$name.err" >&2; exit 2; }
  rm -f "$OUT/variant-$name.err"
done
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  echo "bench: round $ROUND of $ROUNDS" >&2
  run_nginx
  n=${#VARIANT_LINES[@]}
  for ((k = 0; k < n; k++)); do
    line=${VARIANT_LINES[$(((k + ROUND - 1) % n))]}
    echo "bench: round $ROUND: ${line%%=*}" >&2
    run_portico "${line%%=*}" "${line#*=}"
  done
done

# ---- table ----------------------------------------------------------------------------------
{
  echo "wire benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ): rounds=$ROUNDS workers=$WORKERS proxy_cpus=$PROXY_CPUS client_cpus=$CLIENT_CPUS connections=$CONNECTIONS duration=${DURATION}s java=\"$("$PORTICO_JAVA" -version 2>&1 | sed -n 2p)\""
  for line in "${VARIANT_LINES[@]}"; do
    opts=${line#*=}
    echo "variant ${line%%=*}: ${opts:-(no options: the defaults of the JVM)}"
  done
  echo
  echo "Per case and figure: the median over the rounds, and for Portico the median of its ratio to"
  echo "nginx in the same round, with the lowest and highest ratio. STW: the safepoints during the"
  echo "measured run, total and longest (ms)."
  echo
  echo "| case | figure | proxy | value (median) | Portico/nginx median | min-max |"
  echo "| --- | --- | --- | ---: | ---: | --- |"
  awk -F'\t' '
    function median(list,   a, n, i, j, t) {
      n = split(list, a, " "); if (n == 0) return "-"
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function lo(list,   a, n, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
    function hi(list,   a, n, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
    { r = $1; p = $2; c = $3
      if (!(c in cseen)) { cseen[c] = 1; corder[++nc] = c }
      if (!((c, p) in pseen)) { pseen[c, p] = 1; plist[c] = plist[c] " " p }
      for (i = 4; i <= 10; i++) v[r, p, c, i] = $i
      rounds[r] = 1 }
    END {
      split("4 5 6 7 8 9 10", idx, " "); split("req/s|p50 ms|p99 ms|req per CPU-s|failed|STW ms|STW max ms", names, "|")
      for (k = 1; k <= nc; k++) {
        c = corder[k]; np = split(substr(plist[c], 2), ps, " ")
        for (j = 1; j <= 7; j++) {
          i = idx[j]
          if (c == "h1-fixed" && i == 4) continue
          for (q = 1; q <= np; q++) {
            p = ps[q]; vals = ""; ratios = ""
            for (r in rounds) {
              x = v[r, p, c, i]; if (x == "" || x == "-") continue
              vals = vals " " x
              g = v[r, "nginx", c, i]
              if (p != "nginx" && i != 8 && i < 9 && g != "" && g != "-" && g + 0 > 0) ratios = ratios " " sprintf("%.2f", x / g)
            }
            if (vals == "") continue
            m = median(substr(vals, 2))
            if (ratios == "") printf "| %s | %s | %s | %s | | |\n", c, names[j], p, m
            else printf "| %s | %s | %s | %s | %.2f | %s-%s |\n", c, names[j], p, m, median(substr(ratios, 2)), lo(substr(ratios, 2)), hi(substr(ratios, 2))
          }
        }
      }
    }' "$RESULTS"
  echo
  echo "RSS after the runs, MiB, by variant (one figure per round):"
  awk -F'\t' '{ s[$2] = s[$2] " " $3 } END { for (p in s) printf "- %s:%s\n", p, s[p] }' "$RSS"
  if [ -s "$OUT/warm-up.tsv" ]; then
    echo
    echo "Warm-up beyond WARMUP until Portico's JIT compilers were quiet, seconds, by variant and case (one figure per round):"
    awk -F'\t' '{ s[$2 " " $3] = s[$2 " " $3] " " $4 } END { for (k in s) printf "- %s:%s\n", k, s[k] }' "$OUT/warm-up.tsv" | sort
  fi
} | tee "$OUT/table.md"
