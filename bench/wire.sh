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
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DURATION=${DURATION:-15}       # seconds per measured run (bounded)
WARMUP=${WARMUP:-40}           # unmeasured load first: C2 needs ~30 s at this rate on one CPU
CONNECTIONS=${CONNECTIONS:-32}
WORKERS=${WORKERS:-1}          # Portico --event-loops = nginx worker_processes
PROXY_CPUS=${PROXY_CPUS:-1}    # taskset list for the proxy under test
CLIENT_CPUS=${CLIENT_CPUS:-0}  # taskset list for wrk/h2load and the backend
FIXED_RPS=${FIXED_RPS:-2000}   # offered load for the same-load latency row
HS_RATE=${HS_RATE:-200}        # new TLS connections per second offered in the handshake rows
HS_WARMUP=${HS_WARMUP:-30}     # seconds of unmeasured handshakes before the first handshake row
HS_WARMUP_RATE=${HS_WARMUP_RATE:-600}  # new TLS connections per second during that warm-up
CASES=${CASES:-h1 h1-fixed https h2 hs-ec hs-rsa}  # the rows to run (TLS rows need TLS)
JAR=${PORTICO_JAR:-controller/target/portico.jar}
OUT=${OUT:-bench/out/wire-$(date +%Y%m%d-%H%M%S)}

need wrk nginx taskset java curl
HAVE_H2LOAD=0; has h2load && HAVE_H2LOAD=1
[ -f "$JAR" ] || { echo "bench: $JAR not found; build it: mvn -B -q -DskipTests package" >&2; exit 2; }
TLS=0
if java -jar "$JAR" run --help 2>/dev/null | grep -q -- '--https-port'; then
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

# to_ms VALUE: wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%s", v }'
}

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
# record PROXY CASE REQ_PER_S P50 P99 PER_CPU_S FAILED
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# run_wrk PROXY CASE PID URL: closed-loop keep-alive load; fills req/s, p50, p99, per CPU-second.
run_wrk() {
  local proxy=$1 case=$2 pid=$3 url=$4 file="$OUT/$1-$2.txt" c0 c1
  c0=$(cpu_ticks "$pid")
  client wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Host: bench.test" "$url" >"$file"
  c1=$(cpu_ticks "$pid")
  local rps requests p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' "$file")
  requests=$(awk '/requests in/ {print $1}' "$file")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$file")
  record "$proxy" "$case" "$rps" "$p50" "$p99" \
    "$(awk -v r="$requests" -v t="$((c1 - c0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (t > 0 ? r / (t / hz) : 0) }')" "$errors"
}

# run_h2load PROXY CASE PID ARGS...: h2load run with a per-request log; same figures as run_wrk.
run_h2load() {
  local proxy=$1 case=$2 pid=$3 file="$OUT/$1-$2.txt" log="$OUT/$1-$2.log" c0 c1
  shift 3
  c0=$(cpu_ticks "$pid")
  client h2load --log-file="$log" "$@" >"$file" 2>&1 || true
  c1=$(cpu_ticks "$pid")
  local done_ok elapsed failed pcts
  done_ok=$(awk '/^requests:/ {print $8}' "$file")
  failed=$(awk '/^requests:/ {print $10 + $12}' "$file")
  elapsed=$(awk '/^finished in/ {v = $3; sub(/s,$/, "", v); sub(/ms,$/, "", v); if ($3 ~ /ms,$/) v /= 1000; print v}' "$file")
  pcts=$(percentiles "$log")
  record "$proxy" "$case" \
    "$(awk -v n="${done_ok:-0}" -v s="${elapsed:-0}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" \
    ${pcts% *} ${pcts#* } \
    "$(awk -v r="${done_ok:-0}" -v t="$((c1 - c0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (t > 0 ? r / (t / hz) : 0) }')" \
    "${failed:-0}"
}

# want CASE: whether CASES lists the case.
want() { [[ " $CASES " == *" $1 "* ]]; }

# measure PROXY PID HTTP_PORT HTTPS_PORT: every case against one running proxy.
measure() {
  local proxy=$1 pid=$2 port=$3 sport=$4
  if want h1 || want h1-fixed; then
    echo "bench: $proxy: warm-up ${WARMUP}s" >&2
    client wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Host: bench.test" "http://127.0.0.1:$port/" >/dev/null
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
      client h2load --h1 -c "$CONNECTIONS" -D "$WARMUP" --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/" >/dev/null 2>&1 || true
    fi
    if want https; then
      run_h2load "$proxy" https "$pid" --h1 -c "$CONNECTIONS" -D "$DURATION" \
        --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/"
    fi
    if want h2; then
      # HTTP/2 is its own code path (streams, frames, flow control): its own warm-up.
      client h2load -c 8 -m 10 -D 10 --connect-to="127.0.0.1:$sport" "https://bench.test:$sport/" >/dev/null 2>&1 || true
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
mkdir -p "$NGX/tmp"
NP=$(free_port); NS=$(free_port)
{
  cat <<EOF
worker_processes $WORKERS;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $NGX/tmp/body; proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi; uwsgi_temp_path $NGX/tmp/uwsgi; scgi_temp_path $NGX/tmp/scgi;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$host;
  proxy_set_header X-Real-IP \$remote_addr;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_set_header X-Forwarded-Host \$host;
  proxy_set_header X-Forwarded-Port \$server_port;
  upstream app { server 127.0.0.1:$B1; keepalive 64; }
  server { listen 127.0.0.1:$NP default_server; return 404; }
  server { listen 127.0.0.1:$NP; server_name bench.test; location / { proxy_pass http://app; } }
EOF
  if [ "$TLS" = 1 ]; then
    cat <<EOF
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache off;
  ssl_session_tickets off;
  server { listen 127.0.0.1:$NS ssl http2; server_name bench.test ec.bench.test;
    ssl_certificate $OUT/certs/ec.crt; ssl_certificate_key $OUT/certs/ec.key;
    location / { proxy_pass http://app; } }
  server { listen 127.0.0.1:$NS ssl http2; server_name rsa.bench.test;
    ssl_certificate $OUT/certs/rsa.crt; ssl_certificate_key $OUT/certs/rsa.key;
    location / { proxy_pass http://app; } }
EOF
  fi
  echo "}"
} >"$NGX/nginx.conf"
taskset -c "$PROXY_CPUS" nginx -p "$NGX" -c "$NGX/nginx.conf" -e stderr >"$NGX/stdout.log" 2>&1 &
NGINX_PID=$!
STARTED_PIDS+=("$NGINX_PID")
wait_http "http://127.0.0.1:$NP/" bench.test 10
measure nginx "$NGINX_PID" "$NP" "$NS"
stop_pid "$NGINX_PID"

# ---- Portico --------------------------------------------------------------------------------
PM=$OUT/portico-manifests
mkdir -p "$PM"
CERTS=""; if [ "$TLS" = 1 ]; then CERTS=$OUT/certs; fi
write_manifests "$PM/app.yaml" "$B1" "$CERTS"
PP=$(free_port); PS=$(free_port); PA=$(free_port)
PORTICO_ARGS=(run --manifests "$PM" --bind 127.0.0.1 --http-port "$PP" --admin-port "$PA"
  --event-loops "$WORKERS" --log-level warn --access-log off --shutdown-delay 0s)
[ "$TLS" = 1 ] && PORTICO_ARGS+=(--https-port "$PS")
# shellcheck disable=SC2086
taskset -c "$PROXY_CPUS" java $PORTICO_JAVA_OPTS -jar "$JAR" "${PORTICO_ARGS[@]}" >"$PM/portico.log" 2>&1 &
PORTICO_PID=$!
STARTED_PIDS+=("$PORTICO_PID")
wait_http "http://127.0.0.1:$PP/" bench.test 60
echo "$PORTICO_PID" >"$OUT/portico.pid"
[ -n "${BEFORE_PORTICO_MEASURE:-}" ] && eval "$BEFORE_PORTICO_MEASURE"
measure portico "$PORTICO_PID" "$PP" "$PS"
[ -n "${AFTER_PORTICO_MEASURE:-}" ] && eval "$AFTER_PORTICO_MEASURE"
PORTICO_RSS=$(rss_kib "$PORTICO_PID")
stop_pid "$PORTICO_PID"

# ---- table ----------------------------------------------------------------------------------
{
  echo "wire benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ): workers=$WORKERS proxy_cpus=$PROXY_CPUS client_cpus=$CLIENT_CPUS connections=$CONNECTIONS duration=${DURATION}s portico_jvm=\"$PORTICO_JAVA_OPTS\""
  echo "Portico RSS after the runs: $((PORTICO_RSS / 1024)) MiB"
  echo
  echo "| case | figure | Portico | nginx | Portico/nginx |"
  echo "| --- | --- | ---: | ---: | ---: |"
  awk -F'\t' '
    { key = $2; cases[key] = 1; order[key] = order[key] ? order[key] : ++n
      for (i = 3; i <= 7; i++) v[$1, key, i] = $i }
    END {
      split("3 4 5 6 7", idx, " "); split("req/s|p50 ms|p99 ms|req per CPU-s|failed", names, "|")
      for (k = 1; k <= n; k++) for (c in cases) if (order[c] == k)
        for (j = 1; j <= 5; j++) {
          i = idx[j]; p = v["portico", c, i]; g = v["nginx", c, i]
          if (p == "" && g == "") continue
          if (c == "h1-fixed" && i == 3) continue
          r = (g + 0 > 0 && p != "-" && g != "-") ? sprintf("%.2f", p / g) : "-"
          if (i == 7) r = "-"
          printf "| %s | %s | %s | %s | %s |\n", c, names[j], p, g, r
        }
    }' "$RESULTS"
} | tee "$OUT/table.md"
