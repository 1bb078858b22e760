#!/usr/bin/env bash
# gRPC through a proxy (bench/README.md, section "gRPC"): a grpc-java backend in clear text
# (io.portico.bench.GrpcEcho), Portico with backend-protocol GRPC and nginx with grpc_pass in front
# of it, both speaking h2c to clients, in the same run; h2load sends the same unary call (a fixed
# framed request) with CONNECTIONS connections and STREAMS concurrent streams each, for DURATION
# seconds per proxy after a warm-up. Prints one row per proxy: requests per second, latency, and
# the proxy's CPU seconds. Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DURATION=${DURATION:-15}; WARMUP=${WARMUP:-20}; CONNECTIONS=${CONNECTIONS:-4}; STREAMS=${STREAMS:-10}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
CP=bench/target/classpath.txt
OUT=${OUT:-bench/out/grpc-$(date +%Y%m%d-%H%M%S)}
need java curl h2load nginx
[ -f "$JAR" ] && [ -f "$CP" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$OUT/manifests"; OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT

BP=$(free_port)
java -cp "bench/target/classes:$(cat "$CP")" io.portico.bench.GrpcEcho "$BP" >"$OUT/backend.log" 2>&1 &
STARTED_PIDS+=("$!")

cat >"$OUT/manifests/grpc.yaml" <<YAML
apiVersion: v1
kind: Service
metadata: {name: grpc, namespace: default}
spec: {ports: [{name: grpc, port: 50051, targetPort: 50051}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: grpc-0, namespace: default, labels: {kubernetes.io/service-name: grpc}}
addressType: IPv4
ports: [{name: grpc, port: $BP, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grpc
  namespace: default
  annotations: {nginx.ingress.kubernetes.io/backend-protocol: GRPC}
spec:
  ingressClassName: portico
  rules:
  - host: grpc.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: grpc, port: {name: grpc}}}}]}
YAML

PP=$(free_port); PA=$(free_port); PS=$(free_port)
# shellcheck disable=SC2086
java ${PORTICO_JAVA_OPTS:-} -jar "$JAR" run --manifests "$OUT/manifests" --bind 127.0.0.1 \
  --http-port "$PP" --admin-port "$PA" --https-port "$PS" --event-loops 1 --log-level warn --access-log off \
  --shutdown-delay 0s --h2c-prior-knowledge >"$OUT/portico.log" 2>&1 &
PORTICO=$!
STARTED_PIDS+=("$PORTICO")

NP=$(free_port)
cat >"$OUT/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream grpc_backend { server 127.0.0.1:$BP; keepalive 16; }
  server {
    listen 127.0.0.1:$NP http2;
    keepalive_requests 1000000;
    location / { grpc_pass grpc://grpc_backend; }
  }
}
CONF
nginx -c "$OUT/nginx.conf" -e "$OUT/nginx-error.log" &
NGINX=$!
STARTED_PIDS+=("$NGINX")

for _ in $(seq 150); do
  curl -s -o /dev/null "http://127.0.0.1:$PA/readyz" && grep -q listening "$OUT/backend.log" && break
  sleep 0.2
done

# One gRPC message: no compression, a 4-byte length, the bytes.
printf '\x00\x00\x00\x00\x05hello' >"$OUT/request.bin"
h2() { # PORT SECONDS
  h2load -c "$CONNECTIONS" -m "$STREAMS" -D "$2" -d "$OUT/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' --connect-to="127.0.0.1:$1" \
    "http://grpc.test:$1/bench.Echo/Unary"
}

echo "| proxy | requests/s | mean latency | 2xx | failed | proxy CPU s |"
echo "| --- | --- | --- | --- | --- | --- |"
for target in portico nginx; do
  if [ $target = portico ]; then port=$PP; pid=$PORTICO; else port=$NP; pid=$NGINX; fi
  h2 "$port" "$WARMUP" >"$OUT/$target-warmup.txt" 2>&1 || true
  before=$(cpu_ticks "$pid")
  h2 "$port" "$DURATION" >"$OUT/$target.txt" 2>&1 || true
  after=$(cpu_ticks "$pid")
  rps=$(awk '/^finished in/ {print $4}' "$OUT/$target.txt" | tr -d ',')
  mean=$(awk '/^time for request:/ {print $6}' "$OUT/$target.txt")
  ok=$(awk '/^status codes:/ {print $3}' "$OUT/$target.txt")
  failed=$(awk '/^requests:/ {print $10}' "$OUT/$target.txt")
  echo "| $target | $rps | $mean | $ok | $failed | $(awk -v t=$((after - before)) -v c="$CLK_TCK" 'BEGIN {printf "%.1f", t / c}') |"
done
echo
echo "raw reports: $OUT"
