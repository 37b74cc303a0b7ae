#!/usr/bin/env bash
# Two (or more) gateway jars against each other, alternating, each run on a fresh process.
#
#   lb-benchmarks/load/gateway-ab.sh [-r rounds=3] [-d seconds=15] [-w warmup=10] JAR_A JAR_B ...
#
# Per run: two nginx backends (as in gateway-vs-haproxy.sh), the gateway jar with GATEWAY_JAVA_OPTS (default
# "-Xms256m -Xmx256m"), a wrk warm-up, then wrk -t2 -c64 for the measured seconds. Prints requests/s, p50/p90/p99,
# and the CPU per request of the gateway process and of the two nginx workers (from /proc/PID/stat over the
# measured run): the gateway's figure is what a change buys, nginx's shows when the machine itself was slow.
# Alternate and repeat: on a shared VM the machine's speed drifts by about ±10 % within minutes.
set -euo pipefail

ROUNDS=3; DURATION=15; WARMUP=10
while getopts "r:d:w:" opt; do
  case $opt in r) ROUNDS=$OPTARG ;; d) DURATION=$OPTARG ;; w) WARMUP=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# >= 1)) || { echo "usage: $0 [-r rounds] [-d seconds] [-w warmup] JAR..." >&2; exit 2; }
for jar in "$@"; do [[ -f $jar ]] || { echo "no such jar: $jar" >&2; exit 2; }; done
OPTS=${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m}

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

one_run() {
  local jar=$1 work pids=() port out rps
  work=$(mktemp -d /tmp/sb-ab.XXXXXX)
  mkdir -p "$work/www"; head -c 612 /dev/zero | tr '\0' 'x' > "$work/www/index.html"
  chmod 755 "$work" "$work/www"; chmod 644 "$work/www/index.html"
  for port in 18101 18102; do
    cat > "$work/nginx-$port.conf" <<CONF
worker_processes 1; daemon off; error_log $work/nginx-$port.err warn; pid $work/nginx-$port.pid;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_temp_path $work/b$port; proxy_temp_path $work/p$port;
  fastcgi_temp_path $work/f$port; uwsgi_temp_path $work/u$port; scgi_temp_path $work/s$port;
  server { listen 127.0.0.1:$port; root $work/www; } }
CONF
    nginx -c "$work/nginx-$port.conf" -p "$work" & pids+=($!)
    wait_port "$port"
  done
  cat > "$work/gateway.json" <<JSON
{ "virtualServices": [ { "name": "bench", "listen": "127.0.0.1:18080", "protocol": "http",
  "scheduling": "round-robin", "accessLog": false, "forwardedHeaders": true,
  "subServices": [ { "name": "pool", "default": true, "realServers": [
    { "name": "b1", "address": "127.0.0.1:18101" }, { "name": "b2", "address": "127.0.0.1:18102" } ] } ] } ] }
JSON
  # shellcheck disable=SC2086
  java $OPTS -jar "$jar" --config "$work/gateway.json" > "$work/gateway.out" 2>&1 & pids+=($!)
  wait_port 18080
  local gw=${pids[-1]} workers
  workers=$(pgrep -P "${pids[0]}"; pgrep -P "${pids[1]}")
  wrk -t2 -c64 -d"${WARMUP}s" http://127.0.0.1:18080/index.html > /dev/null
  local g0 n0 g1 n1
  # shellcheck disable=SC2086
  g0=$(ticks "$gw"); n0=$(ticks $workers)
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency http://127.0.0.1:18080/index.html)
  # shellcheck disable=SC2086
  g1=$(ticks "$gw"); n1=$(ticks $workers)
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  awk -v rps="$rps" -v d="$DURATION" -v g="$((g1 - g0))" -v n="$((n1 - n0))" -v hz="$(getconf CLK_TCK)" \
    -v lat="$(awk '$1 ~ /^(50|90|99)%$/ {printf "%s ", $2}' <<<"$out")" \
    'BEGIN { split(lat, l, " "); printf "%10.0f req/s  p50 %s p90 %s p99 %s  gateway %.1f us/req  nginx %.1f us/req",
      rps, l[1], l[2], l[3], g * 1e6 / hz / (rps * d), n * 1e6 / hz / (rps * d) }'
}

for round in $(seq 1 "$ROUNDS"); do
  for jar in "$@"; do
    printf 'round %s  %-40s %s\n' "$round" "$(basename "$jar")" "$(one_run "$jar")"
  done
done
