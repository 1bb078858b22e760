#!/usr/bin/env bash
# Fuzzes each @FuzzTest method for its maxDuration, one after another (docs/security.md).
#
#   bench/fuzz.sh                                  every fuzz test of every module
#   bench/fuzz.sh RouteTableFuzzTest#lookupFollowsTheRulebook ...   only these
#
# Each method runs as `JAZZER_FUZZ=1 mvn test -Dtest=Class#method` in its module (the fuzzing
# profile turns Jazzer's instrumentation on). Beyond Portico's own classes, the parsers that the
# untrusted text reaches are instrumented too, so that coverage guides the fuzzer into them:
# BouncyCastle for the tls module, Jackson, SnakeYAML and fabric8's serialization for the
# controller. The generated corpus stays in MODULE/.cifuzz-corpus/ (ignored by git) and seeds the
# next run; a crash is written next to the seeds, as crash-<sha1>, and then fails `mvn verify`
# until it is fixed or turned into a unit test. Prints a table (OUT/table.md): runs, seconds,
# executions per second, coverage and result per method.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-bench/out/fuzz-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

command -v mvn >/dev/null || { echo "bench: missing: mvn (maven)" >&2; exit 2; }

# module class method, for every @FuzzTest method in the source tree.
all_targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort | while read -r file; do
    module=${file%%/*}
    class=$(basename "$file" .java)
    grep -A1 '@FuzzTest' "$file" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p' |
      while read -r method; do echo "$module $class $method"; done
  done
}

instrumented() {
  case "$1" in
    tls) echo 'io.portico.**,org.bouncycastle.**' ;;
    controller) echo 'io.portico.**,com.fasterxml.jackson.**,org.yaml.snakeyaml.**,io.fabric8.kubernetes.client.utils.**' ;;
    *) echo 'io.portico.**' ;;
  esac
}

targets=$(all_targets)
if [ $# -gt 0 ]; then
  wanted=$(for t in "$@"; do echo "${t%%#*} ${t#*#}"; done)
  targets=$(echo "$targets" | while read -r module class method; do
    if echo "$wanted" | grep -qx "$class $method"; then echo "$module $class $method"; fi
  done)
  [ -n "$targets" ] || { echo "bench: no fuzz test matches: $*" >&2; exit 2; }
fi

echo "bench: compiling" >&2
mvn -B -q -o test-compile >"$OUT/compile.log" 2>&1 || { cat "$OUT/compile.log" >&2; exit 1; }

TABLE=$OUT/table.md
{
  echo "| fuzz test | runs | seconds | exec/s | coverage (edges) | features | corpus | result |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
} >"$TABLE"

failed=0
while read -r module class method; do
  log="$OUT/$class-$method.log"
  echo "bench: fuzzing $class#$method ($module)" >&2
  status=0
  JAZZER_FUZZ=1 JAZZER_INSTRUMENT=$(instrumented "$module") \
    mvn -B -o test -pl "$module" -am -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    >"$log" 2>&1 || status=$?
  done_line=$(grep -a -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 || true)
  runs=$(echo "$done_line" | awk '{print $2}')
  seconds=$(echo "$done_line" | awk '{print $5}')
  stats=$(grep -a -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 || true)
  cov=$(echo "$stats" | awk '{print $2}')
  ft=$(echo "$stats" | awk '{print $4}')
  corp=$(echo "$stats" | awk '{print $6}')
  if [ "$status" = 0 ]; then
    result="no finding"
  else
    failed=1
    # Surefire's summary line: "... » FuzzTestFinding <the exception and its message>".
    finding=$(grep -a -m1 -o 'FuzzTestFinding .*' "$log" | cut -c 17-136 || true)
    result="FINDING: ${finding:-see $log}"
    if [ -z "$runs" ]; then
      runs=$(grep -a -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
    fi
  fi
  exec_s=-
  if [ -n "$runs" ] && [ -n "$seconds" ] && [ "$seconds" -gt 0 ]; then exec_s=$((runs / seconds)); fi
  echo "| \`$class#$method\` | ${runs:--} | ${seconds:--} | $exec_s | ${cov:--} | ${ft:--} | ${corp:--} | $result |" >>"$TABLE"
done <<<"$targets"

cat "$TABLE"
git status --short -- '*/src/test/resources' | grep crash- >&2 && echo "bench: crash inputs written (above)" >&2 || true
exit $failed
