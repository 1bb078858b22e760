# Shared by bench/wire.sh and bench/propagation.sh: tool checks, the backend, CPU accounting.
# Everything listens on and targets 127.0.0.1 only.

CLK_TCK=$(getconf CLK_TCK)

# Portico's JVM as the image runs it (Dockerfile: a heap of 50% of the limit, all of it from the
# start) inside the chart's default 512 MiB memory limit: MaxRAM stands in for the container
# limit, and the Serial collector is what the JVM's ergonomics pick there (below about 1.8 GB a
# machine is not "server class"), and the image's native-memory settings (MALLOC_ARENA_MAX and
# the trim interval, see the Dockerfile). PORTICO_JAVA_OPTS= (set and empty) runs Portico with
# this machine's JVM defaults.
CHART_DEFAULT_JVM="-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}
PORTICO_JAVA_OPTS=${PORTICO_JAVA_OPTS-$CHART_DEFAULT_JVM}
STARTED_PIDS=()

# need TOOL... : fails with the Debian package to install for each missing tool; installs nothing.
need() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool ($(package_of "$tool"))")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: missing: ${missing[*]}" >&2
    echo "bench: install with: apt-get install -y $(for m in "${missing[@]}"; do echo "$m" | sed 's/.*(\(.*\))/\1/'; done | sort -u | tr '\n' ' ')" >&2
    exit 2
  fi
}

# has TOOL: true when present; says which package would add it otherwise.
has() {
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  echo "bench: $1 not found (Debian package $(package_of "$1")): its measurements are skipped" >&2
  return 1
}

package_of() {
  case "$1" in
    wrk) echo wrk ;;
    h2load) echo nghttp2-client ;;
    nginx) echo nginx-light ;;
    taskset) echo util-linux ;;
    openssl) echo openssl ;;
    curl) echo curl ;;
    java|jcmd) echo openjdk-17-jdk-headless ;;
    mvn) echo maven ;;
    *) echo "$1" ;;
  esac
}

# free_port: a TCP port no socket uses now, below the kernel's ephemeral range, so an outgoing
# connection cannot take it between this check and the listener's bind.
free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    port=$((10000 + RANDOM % (low > 12000 ? low - 10000 : 2000)))
    if ! ss -tanH "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
}

# cpu_ticks PID: utime+stime of PID and its direct children (nginx workers), in clock ticks.
cpu_ticks() {
  local pid=$1 total=0 p
  for p in "$pid" $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
    if [ -r "/proc/$p/stat" ]; then
      total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
    fi
  done
  echo "$total"
}

# thread_ticks PID: "NAME TICKS" per thread name of PID (utime+stime; threads of one name summed,
# names with spaces joined by _), sorted by name: two of them around a run say which threads
# spent the CPU (thread_ticks_since).
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' _ <"$t/comm" 2>/dev/null)" \
      "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk 'NF == 2 { n[$1] += $2 } END { for (k in n) print k, n[k] }' | sort
}

# compiler_ticks PID: CPU ticks spent so far by the JIT compiler threads of PID alive now (the JVM
# starts and stops them as it needs them).
compiler_ticks() {
  thread_ticks "$1" | awk '$1 ~ /^C[12]_CompilerThre/ { n += $2 } END { print n + 0 }'
}

# thread_ticks_since BEFORE AFTER: the ticks each thread name spent between two thread_ticks
# listings, largest first, without those that spent none.
thread_ticks_since() {
  join -a2 -e0 -o 0,1.2,2.2 "$1" "$2" | awk '$3 - $2 > 0 { print $3 - $2, $1 }' | sort -rn
}

# to_ms VALUE: wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%s", v }'
}

# requests_done FILE: the requests a wrk or h2load report says completed.
requests_done() {
  awk '/requests in/ {print $1} /^requests:/ {n = $8} END {if (n != "") print n}' "$1"
}

# h2load_rate FILE: the requests an h2load report completed per second of its run.
h2load_rate() {
  awk '/^requests:/ {n = $8}
    /^finished in/ {s = $3; sub(/s,$/, "", s); sub(/ms,$/, "", s); if ($3 ~ /ms,$/) s /= 1000}
    END { printf "%.0f", (s > 0 ? n / s : 0) }' "$1"
}

# wrk_ms FILE PERCENT: that percentile of a wrk --latency report, in milliseconds.
wrk_ms() {
  to_ms "$(awk -v p="$2%" '$1 == p {print $2}' "$1")"
}

# per_cpu_second REQUESTS TICKS: requests per CPU-second, from CPU time in clock ticks.
per_cpu_second() {
  awk -v r="${1:-0}" -v t="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (t > 0 ? r / (t / hz) : 0) }'
}

# safepoint_mark: lines so far in the safepoint log $SAFEPOINTS of the Portico under test (0
# without one).
safepoint_mark() { if [ -n "$SAFEPOINTS" ]; then wc -l <"$SAFEPOINTS"; else echo 0; fi; }

# safepoints_since MARK: "TOTAL_MS MAX_MS" of the safepoints logged after MARK lines ("- -" without
# a log). Every stop-the-world pause of every collector is a safepoint, so this is the time each
# connection was held up, whatever the collector.
safepoints_since() {
  [ -n "$SAFEPOINTS" ] || { echo "- -"; return; }
  tail -n +"$(($1 + 1))" "$SAFEPOINTS" | awk '/Total: [0-9]+ ns/ {
      for (i = 1; i <= NF; i++) if ($i == "Total:") { v = $(i + 1) / 1e6; t += v; if (v > m) m = v } }
    END { printf "%.1f %.2f\n", t, m }'
}

# rss_kib PID: resident memory of PID and its direct children, KiB.
rss_kib() {
  local pid=$1 total=0 p
  for p in "$pid" $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
    total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# start_backend DIR PORT1 PORT2 CPUS: one nginx worker answering "b1"/"b2" with keep-alive.
start_backend() {
  local dir=$1 p1=$2 p2=$3 cpus=$4
  mkdir -p "$dir/tmp"
  cat >"$dir/backend.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/backend.pid;
error_log $dir/backend-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  default_type text/plain;
  server { listen 127.0.0.1:$p1; location / { return 200 "b1\n"; } }
  server { listen 127.0.0.1:$p2; location / { return 200 "b2\n"; } }
}
EOF
  taskset -c "$cpus" nginx -p "$dir" -c "$dir/backend.conf" -e stderr >"$dir/backend.log" 2>&1 &
  BACKEND_PID=$!
  STARTED_PIDS+=("$BACKEND_PID")
  wait_http "http://127.0.0.1:$p1/" "" 10 || { cat "$dir/backend.log" >&2; exit 1; }
}

# wait_http URL HOST SECONDS: until the URL answers 200 (with Host: HOST when given).
wait_http() {
  local url=$1 host=$2 seconds=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    if [ -n "$host" ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "$url" || true)
    else
      code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    fi
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  echo "bench: $url (Host: $host) did not answer 200 within $seconds s" >&2
  return 1
}

# stop_pid PID: stop one process this script started, by its id.
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
}

# make_certs DIR: self-signed ec.{crt,key} (ECDSA P-256) and rsa.{crt,key} (RSA 2048) in DIR, for
# bench.test and ec.bench.test / rsa.bench.test.
make_certs() {
  local dir=$1 kind key
  mkdir -p "$dir"
  for kind in ec rsa; do
    if [ $kind = ec ]; then key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); else key=(-newkey rsa:2048); fi
    openssl req -x509 "${key[@]}" -nodes -days 30 -subj "/CN=bench.test" \
      -addext "subjectAltName=DNS:bench.test,DNS:$kind.bench.test" \
      -keyout "$dir/$kind.key" -out "$dir/$kind.crt" 2>/dev/null
  done
}

# write_manifests FILE BACKEND_PORT [CERT_DIR]: Portico's objects for the benchmarks: Service app
# with one loopback endpoint, host bench.test on Prefix /; with CERT_DIR (from make_certs) also a
# TLS Secret and Ingress per certificate, bench.test and ec.bench.test on ECDSA, rsa.bench.test
# on RSA.
write_manifests() {
  local file=$1 port=$2 certs=${3:-} kind hosts
  cat >"$file" <<YAML
apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: app-0, namespace: default, labels: {kubernetes.io/service-name: app}}
addressType: IPv4
ports: [{name: http, port: $port, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app, namespace: default}
spec:
  ingressClassName: portico
  rules:
  - host: bench.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {name: http}}}}]}
YAML
  [ -n "$certs" ] || return 0
  for kind in ec rsa; do
    hosts="[$kind.bench.test]"; [ $kind = ec ] && hosts="[bench.test, ec.bench.test]"
    cat >>"$file" <<YAML
---
apiVersion: v1
kind: Secret
type: kubernetes.io/tls
metadata: {name: $kind, namespace: default}
data:
  tls.crt: $(base64 -w0 "$certs/$kind.crt")
  tls.key: $(base64 -w0 "$certs/$kind.key")
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app-$kind
  namespace: default
  annotations: {nginx.ingress.kubernetes.io/ssl-redirect: "false"}
spec:
  ingressClassName: portico
  tls: [{hosts: $hosts, secretName: $kind}]
  rules:
  - host: $kind.bench.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {name: http}}}}]}
YAML
  done
}

# write_nginx_proxy DIR HTTP_PORT HTTPS_PORT WORKERS BACKEND_PORT [CERT_DIR]: nginx as the proxy
# the benches compare Portico with, configured as Portico is: host bench.test to the backend
# through a keep-alive pool, the same forwarded headers, no access log; with CERT_DIR (from
# make_certs) also TLS and HTTP/2 on HTTPS_PORT with the same certificates. Writes DIR/nginx.conf.
write_nginx_proxy() {
  local ngx=$1 np=$2 ns=$3 workers=$4 backend=$5 certs=${6:-}
  mkdir -p "$ngx/tmp"
  {
    cat <<EOF
worker_processes $workers;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $ngx/tmp/body; proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi; uwsgi_temp_path $ngx/tmp/uwsgi; scgi_temp_path $ngx/tmp/scgi;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$host;
  proxy_set_header X-Real-IP \$remote_addr;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_set_header X-Forwarded-Host \$host;
  proxy_set_header X-Forwarded-Port \$server_port;
  upstream app { server 127.0.0.1:$backend; keepalive 64; }
  server { listen 127.0.0.1:$np default_server; return 404; }
  server { listen 127.0.0.1:$np; server_name bench.test; location / { proxy_pass http://app; } }
EOF
    if [ -n "$certs" ]; then
      cat <<EOF
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache off;
  ssl_session_tickets off;
  server { listen 127.0.0.1:$ns ssl http2; server_name bench.test ec.bench.test;
    ssl_certificate $certs/ec.crt; ssl_certificate_key $certs/ec.key;
    location / { proxy_pass http://app; } }
  server { listen 127.0.0.1:$ns ssl http2; server_name rsa.bench.test;
    ssl_certificate $certs/rsa.crt; ssl_certificate_key $certs/rsa.key;
    location / { proxy_pass http://app; } }
EOF
    fi
    echo "}"
  } >"$ngx/nginx.conf"
}

# setup_app BACKEND_CPUS TLS: the start every single-proxy bench shares, in $OUT: OUT made absolute,
# every started process stopped on exit, the backend on BACKEND_CPUS (ports B1 and B2), and
# $OUT/manifests/app.yaml routing bench.test to B1, with the certificates and TLS Ingresses of
# wire.sh's TLS rows when TLS is 1.
setup_app() {
  mkdir -p "$OUT/manifests"
  OUT=$(cd "$OUT" && pwd)
  trap cleanup EXIT
  B1=$(free_port); B2=$(free_port)
  start_backend "$OUT/backend" "$B1" "$B2" "$1"
  if [ "$2" = 1 ]; then
    make_certs "$OUT"
    write_manifests "$OUT/manifests/app.yaml" "$B1" "$OUT"
  else
    write_manifests "$OUT/manifests/app.yaml" "$B1"
  fi
}

# start_portico JAR LOG HTTP_PORT ADMIN_PORT [ARGS...]: Portico from JAR on PORTICO_JAVA with
# PORTICO_JAVA_OPTS, pinned to PROXY_CPUS, serving $OUT/manifests as the benches run it (no access
# log, warnings only, no shutdown delay) plus ARGS; PORTICO_PID is its process, ready when this
# returns.
start_portico() {
  local jar=$1 log=$2 http=$3 admin=$4
  shift 4
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPUS" "$PORTICO_JAVA" ${PORTICO_JAVA_OPTS:-} -jar "$jar" run --manifests "$OUT/manifests" \
    --bind 127.0.0.1 --http-port "$http" --admin-port "$admin" --log-level warn --access-log off \
    --shutdown-delay 0s "$@" >"$log" 2>&1 &
  PORTICO_PID=$!
  STARTED_PIDS+=("$PORTICO_PID")
  wait_http "http://127.0.0.1:$http/" bench.test 60
}
