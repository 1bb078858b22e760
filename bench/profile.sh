#!/usr/bin/env bash
# Profiles one of Portico's data-plane paths (bench/README.md): backend and Portico as in
# bench/wire.sh, a warm-up, then over one bounded load run (CASE: h1 wrk keep-alive, the default;
# https, h2, hs-ec, hs-rsa: h2load as wire.sh runs those rows; hs-mixed: hs-ec and hs-rsa at once,
# half the rate each) both a JFR recording (settings=profile:
# Java CPU samples, allocation samples, GC), summarised by io.portico.bench.JfrSummary, and, when
# the async-profiler jar is on the bench classpath, async-profiler CPU samples with kernel frames
# (perf events, itimer if those are refused), loaded through jcmd JVMTI.agent_load.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

# async: async-profiler, a CPU pass (kernel frames too) then an allocation pass (bytes per request).
# jfr: a JFR recording (settings=profile) over the CPU pass. Started on a running JVM, JFR made
# C2 recompile continuously here (C2 took 40% of the CPU even after a 60 s warm-up, against 6%
# without it), so it is off by default and its CPU and allocation figures are not steady state.
PROFILERS=${PROFILERS:-async}
# ASPROF_OPTS: more async-profiler options for the CPU pass, e.g. ann (each Java frame marked
# _[0] interpreted, _[1] C1, _[j] C2, _[i] inlined: which code the hot methods ran as).
DURATION=${DURATION:-15}; WARMUP=${WARMUP:-40}; CONNECTIONS=${CONNECTIONS:-32}; WORKERS=${WORKERS:-1}
PROXY_CPUS=${PROXY_CPUS:-1}; CLIENT_CPUS=${CLIENT_CPUS:-0}
CASE=${CASE:-h1}; HS_RATE=${HS_RATE:-200}
JAR=${PORTICO_JAR:-controller/target/portico.jar}
CP=bench/target/classpath.txt
OUT=${OUT:-bench/out/profile-$(date +%Y%m%d-%H%M%S)}
PORTICO_JAVA=${PORTICO_JAVA:-java}  # the java that runs Portico; jcmd is taken from the same JDK
JCMD=$(dirname "$(readlink -f "$(command -v "$PORTICO_JAVA" || echo "$PORTICO_JAVA")")")/jcmd
[ -x "$JCMD" ] || JCMD=jcmd
need wrk nginx taskset "$PORTICO_JAVA" "$JCMD" curl
case $CASE in h1) ;; https|h2|hs-ec|hs-rsa|hs-mixed) need h2load openssl ;; *) echo "bench: CASE=$CASE (expected: h1, https, h2, hs-ec, hs-rsa, hs-mixed)" >&2; exit 2 ;; esac
[ -f "$JAR" ] && [ -f "$CP" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
# TLS cases: the certificates and Ingresses of wire.sh's TLS rows (bench.test and ec.bench.test on ECDSA).
TLS=0; [ "$CASE" != h1 ] && TLS=1
setup_app "$CLIENT_CPUS" "$TLS"
PP=$(free_port); PA=$(free_port); PS=$(free_port)
TLS_ARGS=(); [ "$TLS" = 1 ] && TLS_ARGS=(--https-port "$PS")
start_portico "$JAR" "$OUT/portico.log" "$PP" "$PA" "${TLS_ARGS[@]}" --event-loops "$WORKERS"
PID=$PORTICO_PID

# load SECONDS OUTFILE: the CASE's load for SECONDS; OUTFILE gets the tool's report. Prints nothing.
load() {
  local seconds=$1 file=$2
  case $CASE in
    h1) taskset -c "$CLIENT_CPUS" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -H "Host: bench.test" "http://127.0.0.1:$PP/" >"$file" ;;
    https) taskset -c "$CLIENT_CPUS" h2load --h1 -c "$CONNECTIONS" -D "$seconds" --connect-to="127.0.0.1:$PS" "https://bench.test:$PS/" >"$file" 2>&1 || true ;;
    h2) taskset -c "$CLIENT_CPUS" h2load -c 8 -m 10 -D "$seconds" --connect-to="127.0.0.1:$PS" "https://bench.test:$PS/" >"$file" 2>&1 || true ;;
    hs-mixed) local n=$((HS_RATE / 2 * seconds)) kind pids=()
      # Two certificates in turn, as a listener serving many hosts sees them: half the handshakes
      # ask for ec.bench.test, half for rsa.bench.test, at the same time.
      for kind in ec rsa; do
        taskset -c "$CLIENT_CPUS" h2load --h1 -n "$n" -c "$n" --rate $((HS_RATE / 2)) --rate-period 1s \
          --connect-to="127.0.0.1:$PS" "https://$kind.bench.test:$PS/" >"$file.$kind" 2>&1 &
        pids+=($!)
      done
      wait "${pids[@]}" || true
      cat "$file.ec" "$file.rsa" >"$file"
      awk '/^requests:/ {n += $8} END {print "requests: " n " total, 0 started, " n " done, " n " succeeded"}' "$file.ec" "$file.rsa" >>"$file" ;;
    hs-*) local n=$((HS_RATE * seconds))
      taskset -c "$CLIENT_CPUS" h2load --h1 -n "$n" -c "$n" --rate "$HS_RATE" --rate-period 1s \
        --connect-to="127.0.0.1:$PS" "https://${CASE#hs-}.bench.test:$PS/" >"$file" 2>&1 || true ;;
  esac
}

load "$WARMUP" "$OUT/warmup.txt"
case $PROFILERS in *jfr*)
  "$JCMD" "$PID" JFR.start name=bench settings=profile filename="$OUT/portico.jfr" >/dev/null ;;
esac
ASPROF_JAR=$(tr ':' '\n' <"$CP" | grep '/async-profiler-' | head -1 || true)
ASPROF=""
if [[ $PROFILERS != *async* ]]; then
  :
elif [ -n "$ASPROF_JAR" ] && command -v unzip >/dev/null; then
  unzip -o -q -j "$ASPROF_JAR" linux-x64/libasyncProfiler.so -d "$OUT"
  ASPROF=$OUT/libasyncProfiler.so
  for event in cpu itimer; do
    # jcmd reads "a=b" as a named argument: the agent's options go in inner quotes.
    if "$JCMD" "$PID" JVMTI.agent_load "$ASPROF" "\"start,event=$event,interval=1ms,threads${ASPROF_OPTS:+,$ASPROF_OPTS}\"" | grep -q 'return code: 0'; then
      echo "async-profiler: event=$event" | tee "$OUT/asprof-event.txt"; break
    fi
  done
else
  echo "bench: async-profiler jar (tools.profiler:async-profiler) or unzip missing: JFR only" >&2
fi
c0=$(cpu_ticks "$PID")
load "$DURATION" "$OUT/wrk.txt"
cat "$OUT/wrk.txt"
c1=$(cpu_ticks "$PID")
[[ $PROFILERS == *jfr* ]] && "$JCMD" "$PID" JFR.stop name=bench >/dev/null
# Every compiled method with its tier (1-3 C1, 4 C2) as the pass ends.
"$JCMD" "$PID" Compiler.codelist >"$OUT/codelist.txt" 2>&1 || true
if [ -n "$ASPROF" ]; then
  "$JCMD" "$PID" JVMTI.agent_load "$ASPROF" "\"stop,file=$OUT/cpu.collapsed,collapsed${ASPROF_OPTS:+,$ASPROF_OPTS}\"" >/dev/null
fi
REQUESTS=$(requests_done "$OUT/wrk.txt")
echo "case=$CASE requests=$REQUESTS proxy_cpu_s=$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN {print t / hz}')" \
  "req_per_cpu_s=$(per_cpu_second "$REQUESTS" $((c1 - c0)))" | tee "$OUT/summary.txt"
"$JCMD" "$PID" VM.flags >>"$OUT/summary.txt" 2>&1 || true
if [ -f "$OUT/portico.jfr" ]; then
  java -cp "bench/target/classes:$(cat "$CP")" io.portico.bench.JfrSummary "$OUT/portico.jfr" "$REQUESTS" 30 | tee -a "$OUT/summary.txt"
fi
if [ -f "$OUT/cpu.collapsed" ]; then
  # Collapsed stacks: "[thread tid=N];frame;...;frame COUNT". Threads by share, then frames.
  {
    echo "async-profiler CPU samples by thread:"
    awk '{ n = $NF; t += n; split($0, f, ";"); th = f[1]; sub(/ tid=[0-9]+\]/, "]", th); gsub(/-[0-9]+\]$/, "-N]", th); s[th] += n }
      END { for (k in s) printf "  %5.1f%%  %s\n", 100 * s[k] / t, k }' "$OUT/cpu.collapsed" | sort -rn | head -12 || true
    echo
    echo "async-profiler self CPU (top frame; _[k] is the kernel), all threads:"
    awk '{ n = $NF; t += n; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); s[f[k]] += n }
      END { for (x in s) printf "  %5.1f%%  %s\n", 100 * s[x] / t, x }' "$OUT/cpu.collapsed" | sort -rn | head -40 || true
    echo
    echo "async-profiler inclusive CPU, frames of Portico and the request path:"
    awk '{ n = $NF; t += n; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); delete seen
      for (i = 2; i <= k; i++) if (!(f[i] in seen)) { seen[f[i]] = 1; s[f[i]] += n } }
      END { for (x in s) if (x ~ /portico|Http1|Http2|HttpClient|Ssl|SSL|KeyMaterial|Pipe|writev|sendto|recvfrom|tcp_|epoll_wait|read|write/) printf "  %5.1f%%  %s\n", 100 * s[x] / t, x }' \
      "$OUT/cpu.collapsed" | sort -rn | head -40 || true
  } | tee -a "$OUT/summary.txt"
fi
if [ -n "$ASPROF" ]; then
  # Allocation pass: async-profiler samples allocations (every 512 KiB per thread) with their
  # stacks; "total" makes the collapsed counts bytes.
  "$JCMD" "$PID" JVMTI.agent_load "$ASPROF" "\"start,event=alloc,threads\"" >/dev/null
  load "$DURATION" "$OUT/wrk-alloc.txt"
  "$JCMD" "$PID" JVMTI.agent_load "$ASPROF" "\"stop,file=$OUT/alloc.collapsed,collapsed,total\"" >/dev/null
  REQ2=$(requests_done "$OUT/wrk-alloc.txt")
  {
    awk -v r="$REQ2" '{ t += $NF } END { printf "async-profiler allocation: %.0f MiB in %d requests, %.0f bytes per request (sampled estimate)\n\n", t / 1048576, r, t / r }' "$OUT/alloc.collapsed"
    echo "allocation by class (bytes, share):"
    awk '{ n = $NF; t += n; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); s[f[k]] += n }
      END { for (x in s) printf "  %5.1f%%  %s\n", 100 * s[x] / t, x }' "$OUT/alloc.collapsed" | sort -rn | head -25 || true
    echo
    echo "allocation by allocating method outside java.*/jdk.* (the frame below the allocation):"
    awk '{ n = $NF; t += n; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); site = f[k - 1]
      for (i = k - 1; i >= 2; i--) if (f[i] !~ /^(java|jdk|sun)[\/.]/ && f[i] !~ /_\[k\]$/) { site = f[i]; break }
      s[site] += n }
      END { for (x in s) printf "  %5.1f%%  %s\n", 100 * s[x] / t, x }' "$OUT/alloc.collapsed" | sort -rn | head -30 || true
  } | tee -a "$OUT/summary.txt"
fi
