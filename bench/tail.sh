#!/usr/bin/env bash
# Where Portico's p99 at saturation comes from (bench/README.md). One warmed-up Portico and one
# nginx under HTTP/1.1 keep-alive load at saturation as wire.sh loads them (32 connections, closed
# loop; h2load --h1 by default, for its per-request log, or wrk, wire.sh's tool for this row, with
# LOAD=wrk), in alternating passes: nginx, then Portico with
# its JIT compiler threads on the proxy CPU beside the event loop ("shared": how every bench and a
# one-CPU pod run it), then Portico with the compiler threads moved to the client CPU ("apart"),
# the order of the two rotated each round. Each pass opens new connections, as each of wire.sh's
# measured runs does. Per pass: req/s, p50, p90, p99 over the pass, p99 of its first second and
# of the rest, the compiler threads' CPU, and the safepoints (every stop-the-world pause). Two
# questions in one run: whether the tail comes with the start of a pass (new connections: code
# the JIT has not seen at this load) and whether it comes from the compilers sharing the CPU.
# COMPARE=loaders asks a third instead: each round loads both processes with wrk and with h2load
# (compilers on the proxy CPU), so the two tools meet the same processes at the same moments.
# COMPARE=builds runs a second build beside the first (JAR_B, e.g. bench/ceiling.sh's jar: is a
# tail Portico's own?): passes nginx, a (PORTICO_JAR) and b (JAR_B), compilers on the proxy CPU,
# the order of a and b swapped each round; the idle process waits between its passes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

ROUNDS=${ROUNDS:-6}            # rounds of (nginx, shared, apart)
PASS=${PASS:-10}               # seconds per pass
WARMUP=${WARMUP:-40}           # unmeasured load first, for each proxy
CONNECTIONS=${CONNECTIONS:-32}
LOAD=${LOAD:-h2load}           # h2load (--h1, per-request log) or wrk (as wire.sh's h1 row)
COMPARE=${COMPARE:-placement}  # placement (compilers shared / apart), loaders (wrk / h2load) or builds (a / b)
PROXY_CPUS=${PROXY_CPUS:-1}; CLIENT_CPUS=${CLIENT_CPUS:-0}
PORTICO_JAVA=${PORTICO_JAVA:-java}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
OUT=${OUT:-bench/out/tail-$(date +%Y%m%d-%H%M%S)}

need wrk h2load nginx taskset curl "$PORTICO_JAVA"
[ -f "$JAR" ] || { echo "bench: $JAR not found; build it: mvn -B -q -DskipTests package" >&2; exit 2; }
case $COMPARE in
  placement|loaders) ;;
  builds) [ -f "${JAR_B:-}" ] || { echo "bench: COMPARE=builds needs JAR_B, the second build's jar" >&2; exit 2; } ;;
  *) echo "bench: COMPARE=$COMPARE (expected: placement, loaders or builds)" >&2; exit 2 ;;
esac
setup_app "$CLIENT_CPUS" 0
client() { taskset -c "$CLIENT_CPUS" "$@"; }

NP=$(free_port)
write_nginx_proxy "$OUT/nginx" "$NP" 0 1 "$B1"
taskset -c "$PROXY_CPUS" nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e stderr >"$OUT/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
STARTED_PIDS+=("$NGINX_PID")
wait_http "http://127.0.0.1:$NP/" bench.test 10

PP=$(free_port); PA=$(free_port)
PORTICO_JAVA_OPTS="${PORTICO_JAVA_OPTS:-} -Xlog:safepoint:file=$OUT/safepoints.log:uptime" \
  start_portico "$JAR" "$OUT/portico.log" "$PP" "$PA" --https-port "$(free_port)" --event-loops 1
PID=$PORTICO_PID
# Each Portico gets its own HTTPS port too: two would collide on the default.
if [ "$COMPARE" = builds ]; then
  PP_B=$(free_port); PA_B=$(free_port)
  PORTICO_JAVA_OPTS="${PORTICO_JAVA_OPTS:-} -Xlog:safepoint:file=$OUT/safepoints-b.log:uptime" \
    start_portico "$JAR_B" "$OUT/portico-b.log" "$PP_B" "$PA_B" --https-port "$(free_port)" --event-loops 1
  PID_B=$PORTICO_PID
fi

# compilers_to CPUS: pins the JIT's compiler threads (started and stopped by the JVM as it needs
# them, so each time again) to CPUS; prints how many.
compilers_to() {
  local t n=0
  for t in /proc/"$PID"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre* | C2\ CompilerThre*) taskset -p -c "$1" "${t##*/}" >/dev/null && n=$((n + 1)) ;;
    esac
  done
  echo "$n"
}

echo "bench: warm-up ${WARMUP}s each" >&2
for port in "$NP" "$PP" ${PP_B:-}; do
  client wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Host: bench.test" "http://127.0.0.1:$port/" >/dev/null
done

# latencies LOG: "P50 P90 P99 P99_FIRST_SECOND P99_REST" in ms from h2load's per-request log
# (start in microseconds since the epoch, status, latency in microseconds).
latencies() {
  awk -F'\t' '$2 >= 200 && $2 < 400 { if (t0 == "" || $1 < t0) t0 = $1; s[NR] = $1; l[NR] = $3 }
    END { for (i in l) print (s[i] - t0 < 1000000 ? "first" : "rest"), l[i] }' "$1" | sort -k2 -n | awk '
    function pct(arr, n, q) { return n ? arr[int(n * q + 0.999999)] / 1000 : 0 }
    { all[++n] = $2; if ($1 == "first") first[++f] = $2; else rest[++r] = $2 }
    END { printf "%.3f %.3f %.3f %.3f %.3f\n", pct(all, n, 0.5), pct(all, n, 0.9), pct(all, n, 0.99),
            pct(first, f, 0.99), pct(rest, r, 0.99) }'
}

# pass ROUND NAME [LOADER]: one measured pass under LOADER (LOAD by default), one row of
# passes.tsv, named NAME, or NAME/LOADER when LOADER is given.
pass() {
  local round=$1 name=$2 loader=${3:-$LOAD} row=$2${3:+/$3} pid=$PID port=$PP c0 c1 k0 k1 mark stw
  local file="$OUT/r$1-${row//\//-}"
  SAFEPOINTS=$OUT/safepoints.log
  [ "$name" = nginx ] && { pid=$NGINX_PID; port=$NP; }
  [ "$name" = b ] && { pid=$PID_B; port=$PP_B; SAFEPOINTS=$OUT/safepoints-b.log; }
  case $name in
    shared) compilers_to "$PROXY_CPUS" >/dev/null ;;
    apart) compilers_to "$CLIENT_CPUS" >/dev/null ;;
  esac
  mark=$(safepoint_mark); c0=$(cpu_ticks "$pid"); k0=0; [ "$name" != nginx ] && k0=$(compiler_ticks "$pid")
  local rps lat
  if [ "$loader" = wrk ]; then
    client wrk -t1 -c"$CONNECTIONS" -d"${PASS}s" --latency -H "Host: bench.test" "http://127.0.0.1:$port/" >"$file.txt"
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$file.txt")
    # wrk gives no per-request log: no split by second.
    lat="$(wrk_ms "$file.txt" 50) $(wrk_ms "$file.txt" 90) $(wrk_ms "$file.txt" 99) - -"
  else
    client h2load --h1 -c "$CONNECTIONS" -D "$PASS" --log-file="$file.log" \
      --connect-to="127.0.0.1:$port" "http://bench.test:$port/" >"$file.txt" 2>&1 || true
    rps=$(h2load_rate "$file.txt")
    lat=$(latencies "$file.log")
    rm -f "$file.log"
  fi
  c1=$(cpu_ticks "$pid"); k1=0; [ "$name" != nginx ] && k1=$(compiler_ticks "$pid")
  stw="- -"; [ "$name" != nginx ] && stw=$(safepoints_since "$mark")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$row" "$rps" "${lat// /$'\t'}" \
    "$((c1 - c0))" "$((k1 - k0))" "${stw// /$'\t'}" | tee -a "$OUT/passes.tsv"
}

: >"$OUT/passes.tsv"
printf 'round\tproxy\treq/s\tp50\tp90\tp99\tp99 1st s\tp99 rest\tCPU ticks\tcompiler ticks\tSTW ms\tSTW max ms\n' >&2
for ((r = 1; r <= ROUNDS; r++)); do
  if [ "$COMPARE" = loaders ]; then
    # The same two processes under both tools, the tools' order swapped each round.
    if ((r % 2)); then first=wrk second=h2load; else first=h2load second=wrk; fi
    pass "$r" nginx "$first"; pass "$r" shared "$first"; pass "$r" nginx "$second"; pass "$r" shared "$second"
  elif [ "$COMPARE" = builds ]; then
    pass "$r" nginx
    if ((r % 2)); then pass "$r" a; pass "$r" b; else pass "$r" b; pass "$r" a; fi
  else
    pass "$r" nginx
    if ((r % 2)); then pass "$r" shared; pass "$r" apart; else pass "$r" apart; pass "$r" shared; fi
  fi
done

# The medians per proxy and placement, and each p99 over nginx's of the same round.
awk -F'\t' '
  function median(list,   a, b, m, n, i, j, t) {
    m = split(list, b, " "); n = 0
    for (i = 1; i <= m; i++) if (b[i] != "-") a[++n] = b[i]
    if (n == 0) return "-"
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { for (c = 3; c <= 12; c++) v[$2, c] = v[$2, c] " " $c
    for (c = 6; c <= 8; c++) p99[$1, $2, c] = $c
    rounds[$1] = 1
    if (!($2 in seen)) { seen[$2] = 1; names[++count] = $2 } }
  END {
    print "| proxy | req/s | p50 ms | p90 ms | p99 ms (/ nginx) | p99 first second (/ nginx) | p99 after it (/ nginx) | compiler ticks | STW ms, longest |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= count; i++) {
      p = names[i]; q = p; sub(/^[^\/]*/, "nginx", q)
      printf "| %s | %.0f | %.3f | %.3f |", p, median(v[p, 3]), median(v[p, 4]), median(v[p, 5])
      for (c = 6; c <= 8; c++) {
        ratios = ""
        if (p != q) for (r in rounds) if (p99[r, q, c] > 0 && p99[r, p, c] != "-") ratios = ratios " " sprintf("%.2f", p99[r, p, c] / p99[r, q, c])
        m = median(v[p, c])
        printf " %s%s |", (m == "-" ? "-" : sprintf("%.3f", m)), (ratios == "" ? "" : sprintf(" (%.2f)", median(ratios)))
      }
      if (p == q) print " | |"
      else printf " %s | %s, %s |\n", median(v[p, 10]), median(v[p, 11]), median(v[p, 12])
    }
  }' "$OUT/passes.tsv" | tee "$OUT/summary.md"
