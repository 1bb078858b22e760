#!/usr/bin/env bash
# TLS scan of Portico's HTTPS listener with testssl.sh (docs/security.md, "TLS scan").
#
# Starts `portico demo` (manifests mode with its echo backend) on 127.0.0.1 with two hosts whose
# certificates come from `portico certgen --ca`: ec.test (ECDSA P-256) and rsa.test (RSA 2048),
# then runs testssl against each host by SNI, trusting the local CA (--add-ca), and saves the
# reports: OUT/HOST.log (what testssl prints), OUT/HOST.json, and OUT/summary.txt with every
# finding above LOW in three groups: the certificate's own trust and revocation, the security
# headers of the HTTP answer, and the TLS server. Exits 1 when the last group is not empty.
#
# The security headers of the answer (X-Frame-Options, X-Content-Type-Options,
# Content-Security-Policy, Referrer-Policy) are not Portico's defaults: they come from the
# controller ConfigMap's add-headers, set here as a platform team would (a ConfigMap of headers,
# named by add-headers in the controller ConfigMap, read with --configmap). ADD_HEADERS=off scans
# without them: the answer is then the echo backend's alone.
#
#   bench/testssl.sh                       both hosts, a full testssl run each (a few minutes)
#   HOSTS=ec.test bench/testssl.sh         one host
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

JAR=${PORTICO_JAR:-controller/target/portico.jar}
OUT=${OUT:-bench/out/testssl-$(date +%Y%m%d-%H%M%S)}
HOSTS=${HOSTS:-ec.test rsa.test}
SCAN_TIMEOUT=${SCAN_TIMEOUT:-900}   # seconds per host, a bound on testssl
ADD_HEADERS=${ADD_HEADERS:-on}      # off: no add-headers, the backend's answer unchanged

TESTSSL=$(command -v testssl || command -v testssl.sh || true)
[ -n "$TESTSSL" ] || { echo "bench: missing: testssl (testssl.sh); install with: apt-get install -y testssl.sh" >&2; exit 2; }
need java curl jq
[ -f "$JAR" ] || { echo "bench: $JAR not found; build it: mvn -B -q -DskipTests package" >&2; exit 2; }

mkdir -p "$OUT/manifests" "$OUT/pki"
OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT

# The testssl findings that belong to the certificate, not to the server: whether its chain is
# trusted and names the host, and how it can be revoked. A certgen certificate has no CRL or OCSP
# address, so nothing can be stapled either, and a local name has no CAA record.
CERTIFICATE_IDS='^(cert_chain_of_trust|cert_trust|cert_revocation|cert_crlDistributionPoints|cert_ocspURL|OCSP_stapling|cert_mustStapleExtension|DNS_CAArecord)'
# testssl's check of X-Frame-Options, Content-Security-Policy and the like on the answer to GET /:
# headers that the application chooses, or the platform through add-headers (above).
APPLICATION_IDS='^security_headers$'

BACKEND=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); ADMIN=$(free_port)

for host in $HOSTS; do
  case "$host" in
    rsa.*) key_type=rsa-2048 ;;
    *) key_type=ec-p256 ;;
  esac
  # One CA for both hosts: certgen creates it on first use and reuses it; --force replaces only
  # the leaf files, which are copied out first.
  java -jar "$JAR" certgen --host "$host" --key-type "$key_type" --ca --force --out "$OUT/pki" >"$OUT/pki/certgen-$host.log"
  cp "$OUT/pki/secret.yaml" "$OUT/manifests/secret-$host.yaml"
done

{
  cat <<YAML
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-0, namespace: default, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
ports: [{name: http, port: $BACKEND, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
YAML
  for host in $HOSTS; do
    cat <<YAML
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: scan-${host%%.*}, namespace: default}
spec:
  ingressClassName: portico
  tls: [{hosts: [$host], secretName: ${host//./-}-tls}]
  rules:
  - host: $host
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {name: http}}}}]}
YAML
  done
} >"$OUT/manifests/scan.yaml"

CONFIGMAP_ARGS=()
if [ "$ADD_HEADERS" = on ]; then
  # The platform's response headers, as docs/security.md shows them: every response carries them.
  cat >"$OUT/manifests/config.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: portico-config, namespace: portico}
data:
  add-headers: portico/security-headers
---
apiVersion: v1
kind: ConfigMap
metadata: {name: security-headers, namespace: portico}
data:
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Content-Security-Policy: "default-src 'self'; frame-ancestors 'none'"
  Referrer-Policy: strict-origin-when-cross-origin
YAML
  CONFIGMAP_ARGS=(--configmap portico/portico-config)
fi

# shellcheck disable=SC2086 # PORTICO_JAVA_OPTS holds several options
java $PORTICO_JAVA_OPTS -jar "$JAR" demo --manifests "$OUT/manifests" "${CONFIGMAP_ARGS[@]}" --bind 127.0.0.1 \
  --http-port "$HTTP" --https-port "$HTTPS" --admin-port "$ADMIN" \
  --access-log off >"$OUT/portico.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$ADMIN/readyz" "" 60 || { cat "$OUT/portico.log" >&2; exit 1; }
for host in $HOSTS; do
  curl -sf -o /dev/null --cacert "$OUT/pki/ca.crt" --resolve "$host:$HTTPS:127.0.0.1" "https://$host:$HTTPS/" ||
    { echo "bench: https://$host:$HTTPS/ does not answer 200" >&2; cat "$OUT/portico.log" >&2; exit 1; }
done

# above_low JSON INCLUDE [EXCLUDE]: the findings above LOW whose id matches INCLUDE (a regex;
# empty: all) and not EXCLUDE, one "  SEVERITY id finding" line each.
above_low() {
  jq -r --arg want "${2:-.}" --arg skip "${3:-^$}" '.[]
    | select(.severity == "MEDIUM" or .severity == "HIGH" or .severity == "CRITICAL")
    | select((.id | test($want)) and (.id | test($skip) | not))
    | "  \(.severity)\t\(.id)\t\(.finding)"' "$1"
}

SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
status=0
for host in $HOSTS; do
  echo "bench: testssl $host (127.0.0.1:$HTTPS)" >&2
  rm -f "$OUT/$host.json" "$OUT/$host.log"
  # No --phone-out: nothing leaves this machine (no CRL or OCSP fetches; there are none anyway).
  timeout "$SCAN_TIMEOUT" "$TESTSSL" --quiet --color 0 --warnings off --ip 127.0.0.1 \
    --add-ca "$OUT/pki/ca.crt" --jsonfile "$OUT/$host.json" --logfile "$OUT/$host.log" \
    "https://$host:$HTTPS/" >/dev/null 2>"$OUT/$host.stderr" || true
  [ -s "$OUT/$host.json" ] || { echo "bench: testssl wrote no report for $host" >&2; cat "$OUT/$host.stderr" >&2; exit 1; }
  certificate=$(above_low "$OUT/$host.json" "$CERTIFICATE_IDS")
  application=$(above_low "$OUT/$host.json" "$APPLICATION_IDS")
  server=$(above_low "$OUT/$host.json" "" "$CERTIFICATE_IDS|$APPLICATION_IDS")
  {
    echo "$host: $(jq -r '[.[] | .severity] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$OUT/$host.json")"
    echo " above LOW, about the certificate's own trust and revocation:"
    echo "${certificate:-  none}"
    echo " above LOW, about the security headers of the application's answer:"
    echo "${application:-  none}"
    echo " above LOW, about the TLS server:"
    echo "${server:-  none}"
  } >>"$SUMMARY"
  [ -z "$server" ] || status=1
done
cat "$SUMMARY"
exit $status
