#!/usr/bin/env bash
# The reference gateway against HAProxy, same backends, same load, one run.
#
#   lb-benchmarks/load/gateway-vs-haproxy.sh [connections=64] [seconds=20] [rounds=4] [mode=plain]
#
# mode: plain (HTTP/1.1 keep-alive), tls (HTTPS keep-alive) or tls-new (HTTPS, a new connection and a handshake per
# request: wrk sends Connection: close). Over TLS both proxies terminate with the same ECDSA P-256 certificate made
# here with openssl, and speak plain HTTP to the backends. Both send TLS 1.3 session tickets (their defaults), and
# wrk resumes the session it was given on its next connection: tls-new measures resumed handshakes on both.
#
# Needs: Java 17, the gateway jar (mvn -B -q -DskipTests package), and the Debian packages haproxy, nginx-light
# and wrk (installed here with apt-get when missing and possible). Two nginx backends (one worker each) serve a
# 612-byte page on 127.0.0.1:18101/18102; the gateway (round robin, access log off) listens on :18080, HAProxy
# (roundrobin, keep-alive to the backends) on :18081. The gateway runs with GATEWAY_JAVA_OPTS (default
# "-Xms256m -Xmx256m"). Each proxy is warmed up (the gateway for WARMUP seconds, default 15: on a loaded machine the
# JIT still recompiles the connection path a minute or two after start, so give it 60 there) in runs no longer than
# the measured ones, so that it has closed and opened connections as often as they will, then measured with
# wrk -t2 -c$CONNECTIONS -d${SECONDS}s --latency, in rounds that alternate the two (gateway then HAProxy, then
# HAProxy then gateway, ...), because on a shared VM the machine's own speed drifts by ±10 % within minutes, and
# the second run of a pair tends to be the faster one (docs/benchmarks.md): keep the number of rounds even. Prints requests/s and p50/p99 of both per round, each round's ratios,
# and the median ratios over the rounds (rounds=1: one run of each, as before), with each proxy's CPU time per request
# (user + system, read from /proc before and after each measurement).
set -euo pipefail

CONNECTIONS=${1:-64}
DURATION=${2:-20}
ROUNDS=${3:-4}
MODE=${4:-plain}
GATEWAY_OPTS=${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m}
WARMUP=${WARMUP:-15}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/lb-examples/target/lb-gateway.jar"
WORK=$(mktemp -d /tmp/sb-load.XXXXXX)
PIDS=()

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
SCHEME=$(scheme_of "$MODE")
trap cleanup EXIT

need() {
  need_tools "haproxy nginx wrk" "haproxy nginx-light wrk"
  [[ -f "$JAR" ]] || { echo "missing $JAR: run mvn -B -q -DskipTests package first" >&2; exit 1; }
}

start_gateway() {
  gateway_config "$WORK/gateway.json" "$WORK" "$MODE"
  # shellcheck disable=SC2086 # the options are meant to split
  java $GATEWAY_OPTS -jar "$JAR" --config "$WORK/gateway.json" > "$WORK/gateway.out" 2>&1 & PIDS+=($!)
  GATEWAY_PID=$!
  wait_port 18080
}

start_haproxy() {
  haproxy_config "$WORK/haproxy.cfg" "$WORK" "$MODE"
  haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.out" 2>&1 & PIDS+=($!)
  HAPROXY_PID=$!
  wait_port 18081
}

# measure PORT SECONDS PID: prints "requests/s p50_ms p99_ms cpu_us_per_request errors"
measure() {
  local out before after
  before=$(ticks "$3")
  out=$(wrk_run "$MODE" "$1" "$CONNECTIONS" "$2" --latency)
  after=$(ticks "$3")
  local rps p50 p99 errors cpu
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v r="$rps" -v d="$2" \
    'BEGIN { printf "%.1f", t / hz * 1e6 / (r * d) }')
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $cpu ${errors:-none}"
}

to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000;
    printf "%.2f", n }'
}

need
[[ $SCHEME == https ]] && make_certificate "$WORK"
start_backends "$WORK"
start_gateway
start_haproxy
echo "warming up (gateway $WARMUP s, haproxy 5 s, in runs of at most $DURATION s)..."
warm_up "$MODE" 18080 "$CONNECTIONS" "$WARMUP" "$DURATION"
warm_up "$MODE" 18081 "$CONNECTIONS" 5 "$DURATION"

RATIOS=()
P99_RATIOS=()
printf '\n%-6s %-10s %12s %10s %10s %10s   %s\n' round proxy "requests/s" "p50 ms" "p99 ms" "cpu us/req" errors
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(18080 18081); else order=(18081 18080); fi
  for port in "${order[@]}"; do
    if [[ $port == 18080 ]]; then read -r g_rps g_p50 g_p99 g_cpu g_err <<<"$(measure 18080 "$DURATION" "$GATEWAY_PID")"
    else read -r h_rps h_p50 h_p99 h_cpu h_err <<<"$(measure 18081 "$DURATION" "$HAPROXY_PID")"; fi
  done
  printf '%-6s %-10s %12s %10s %10s %10s   %s\n' "$round" gateway "$g_rps" "$g_p50" "$g_p99" "$g_cpu" "$g_err"
  printf '%-6s %-10s %12s %10s %10s %10s   %s\n' "$round" haproxy "$h_rps" "$h_p50" "$h_p99" "$h_cpu" "$h_err"
  RATIOS+=("$(awk -v g="$g_rps" -v h="$h_rps" 'BEGIN { printf "%.2f", g / h }')")
  P99_RATIOS+=("$(awk -v g="$g_p99" -v h="$h_p99" 'BEGIN { printf "%.2f", g / h }')")
  echo "       gateway/haproxy: requests/s ${RATIOS[-1]}, p99 ${P99_RATIOS[-1]}"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "median over $ROUNDS round(s): gateway/haproxy requests/s $(median "${RATIOS[@]}") (goal >= 1.0)," \
  "p99 $(median "${P99_RATIOS[@]}") (goal <= 1.2)"
echo "mode $MODE; machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(haproxy -v | head -1 | cut -d' ' -f1-3), wrk -t2 -c$CONNECTIONS -d${DURATION}s"
