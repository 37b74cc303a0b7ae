#!/usr/bin/env bash
# Where each proxy's CPU goes, per request: the gateway and HAProxy under the same load, split by shared object
# (kernel, the proxy's own code, the TLS library, the runtime, libc) and their system calls counted.
#
#   lb-benchmarks/load/cpu-split.sh [mode=tls] [seconds=10]
#
# Same backends, certificate and configurations as gateway-vs-haproxy.sh (mode plain, tls or tls-new). Both proxies
# are warmed up as there (the gateway for WARMUP seconds, default 60, in runs of the measured length), then each in
# turn gets one wrk -t2 -c64 run of the given seconds under `perf record -e cpu-clock -F 1999 -g -p PID` (call graphs
# kept in the data for a closer look; their cost is in the figures), and a shorter one under `perf trace -s` (which
# slows the process down; only its counts per request are printed). The gateway
# runs with GATEWAY_JAVA_OPTS (default "-Xms256m -Xmx256m") and -XX:+DumpPerfMapAtExit, so that its compiled Java
# frames have names in the saved profiles. Prints, per proxy, CPU µs per request (from /proc, perf included), that
# figure split by shared object, and the system calls per request; keeps the perf data, the top symbols and wrk's
# output in OUT (default /tmp/cpu-split-MODE). Needs perf (Debian: linux-perf) and kernel.perf_event_paranoid <= 2
# for a process of one's own, or root.
set -euo pipefail

MODE=${1:-tls}
DURATION=${2:-10}
WARMUP=${WARMUP:-60}
GATEWAY_OPTS=${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/lb-examples/target/lb-gateway.jar"
OUT=${OUT:-/tmp/cpu-split-$MODE}
WORK=$(mktemp -d /tmp/sb-split.XXXXXX)
PIDS=()

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
trap cleanup EXIT
need_tools "haproxy nginx wrk perf" "haproxy nginx-light wrk linux-perf"
[[ -f "$JAR" ]] || { echo "missing $JAR: run mvn -B -q -DskipTests package first" >&2; exit 1; }
mkdir -p "$OUT"
[[ $(scheme_of "$MODE") == https ]] && make_certificate "$WORK"
start_backends "$WORK"
gateway_config "$WORK/gateway.json" "$WORK" "$MODE"
# shellcheck disable=SC2086 # the options are meant to split
java $GATEWAY_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -jar "$JAR" --config "$WORK/gateway.json" \
  > "$OUT/gateway.out" 2>&1 & PIDS+=($!)
GATEWAY_PID=$!
wait_port 18080
haproxy_config "$WORK/haproxy.cfg" "$WORK" "$MODE"
haproxy -f "$WORK/haproxy.cfg" -db > "$OUT/haproxy.out" 2>&1 & PIDS+=($!)
HAPROXY_PID=$!
wait_port 18081
echo "warming up (gateway $WARMUP s, haproxy 10 s, in runs of at most $DURATION s)..."
warm_up "$MODE" 18080 64 "$WARMUP" "$DURATION"
warm_up "$MODE" 18081 64 10 "$DURATION"

requests() { awk '/requests in/ {print $1}' "$1"; }

# report WHO KEYS: perf's table of WHO's samples by KEYS (dso, dso,sym), without its comment lines.
report() {
  perf report -i "$OUT/$1.data" --no-children --sort "$2" --stdio -g none 2>/dev/null | grep -v '^#' | grep '%'
}

for who in gateway haproxy; do
  if [[ $who == gateway ]]; then pid=$GATEWAY_PID port=18080; else pid=$HAPROXY_PID port=18081; fi
  before=$(ticks "$pid")
  perf record -e cpu-clock -F 1999 -g -p "$pid" -o "$OUT/$who.data" -- sleep "$DURATION" > /dev/null 2>&1 & rec=$!
  wrk_run "$MODE" "$port" 64 "$DURATION" > "$OUT/$who.wrk"
  wait "$rec" || true
  after=$(ticks "$pid")
  timeout -s INT $((DURATION / 2 + 2)) perf trace -s -p "$pid" -o "$OUT/$who.syscalls" > /dev/null 2>&1 & trace=$!
  sleep 1
  wrk_run "$MODE" "$port" 64 $((DURATION / 2)) > "$OUT/$who.traced.wrk"
  wait "$trace" || true
  echo "$((after - before)) $(requests "$OUT/$who.wrk")" > "$OUT/$who.ticks"
done
kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true # writes /tmp/perf-PID.map for the report

for who in gateway haproxy; do
  read -r t n < "$OUT/$who.ticks"
  total=$(awk -v t="$t" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  echo
  echo "$who: $n requests in ${DURATION}s, CPU $total µs per request"
  report "$who" dso | awk -v c="$total" '{ p = $1; sub(/%/, "", p); $1 = ""
    if (p >= 0.5) printf "  %6.1f µs  %5.1f %%  %s\n", c * p / 100, p, $0 }'
  report "$who" dso,sym | head -60 > "$OUT/$who.symbols" || true # head ends the pipe early
  traced=$(requests "$OUT/$who.traced.wrk")
  echo "  system calls per request (perf trace, $traced requests):"
  awk '$2 ~ /^[0-9]+$/ && $1 ~ /^[a-z_0-9]+$/ { c[$1] += $2 } END { for (k in c) print c[k], k }' \
    "$OUT/$who.syscalls" | sort -rn | head -6 | awk -v n="$traced" '{ printf "    %6.2f %s\n", $1 / n, $2 }' || true
done
echo
echo "mode $MODE; $(nproc) cores, $(java -version 2>&1 | head -1), $(haproxy -v | head -1 | cut -d' ' -f1-3);" \
  "profiles in $OUT"
