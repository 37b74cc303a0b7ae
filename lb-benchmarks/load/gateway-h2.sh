#!/usr/bin/env bash
# HTTP/2 from clients through the gateway, side by side with HAProxy, both in front of the same two nginx workers
# (HTTP/1.1 to them): h2load over h2c with prior knowledge (-c connections, -m streams per connection), and wrk
# over HTTP/1.1 to the same gateway listener for reference, alternating peers in every round.
#
#   lb-benchmarks/load/gateway-h2.sh [-r rounds=3] [-d seconds=10] [-c connections=16] [-m streams=10] [JAR]
#   lb-benchmarks/load/gateway-h2.sh [-r rounds] [-d seconds] [-w warm-up seconds] [-c connections] [-m streams] \
#       -A JAR_A -B JAR_B
#
# JAR defaults to lb-examples/target/lb-gateway.jar. With -A and -B, two gateway jars run side by side (on 18080
# and 18082) and h2load alone measures them and HAProxy, in the order A B HAProxy in odd rounds and HAProxy B A in
# even ones (no wrk): compare B/A by the ratios and the CPU per request of the same round; -w sets the gateways'
# warm-up (default: one round's length). Needs the Debian packages nginx-light, haproxy, nghttp2-client (h2load)
# and wrk (installed with apt-get when running as root). Prints requests/s and the CPU per request of the proxy
# process.
set -euo pipefail

ROUNDS=3; DURATION=10; CONNS=16; STREAMS=10; JAR_B=; WARMUP=
while getopts "r:d:c:m:w:A:B:" opt; do
  case $opt in r) ROUNDS=$OPTARG ;; d) DURATION=$OPTARG ;; c) CONNS=$OPTARG ;; m) STREAMS=$OPTARG ;;
    w) WARMUP=$OPTARG ;;
    A) JAR_A=$OPTARG ;; B) JAR_B=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
JAR=${JAR_A:-${1:-lb-examples/target/lb-gateway.jar}}
for jar in "$JAR" ${JAR_B:+"$JAR_B"}; do [[ -f $jar ]] || { echo "no such jar: $jar" >&2; exit 2; }; done

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
need_tools "haproxy nginx wrk h2load" "haproxy nginx-light wrk nghttp2-client"

WORK=$(mktemp -d /tmp/sb-h2.XXXXXX); PIDS=()
trap cleanup EXIT
start_backends "$WORK"

# gateway_json PORT: the gateway's configuration listening on PORT
gateway_json() {
  cat <<JSON
{ "virtualServices": [ { "name": "bench", "listen": "127.0.0.1:$1", "protocol": "http",
  "scheduling": "round-robin", "accessLog": false, "http2": { "cleartext": true },
  "subServices": [ { "name": "pool", "default": true, "realServers": [
    { "name": "b1", "address": "127.0.0.1:18101" }, { "name": "b2", "address": "127.0.0.1:18102" } ] } ] } ] }
JSON
}
cat > "$WORK/haproxy.cfg" <<CFG
global
  nbthread 2
defaults
  mode http
  timeout connect 3s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend fe
  bind 127.0.0.1:18090 proto h2
  default_backend be
frontend fe1
  bind 127.0.0.1:18091
  default_backend be
backend be
  balance roundrobin
  server b1 127.0.0.1:18101
  server b2 127.0.0.1:18102
CFG

# start_gateway JAR PORT: starts the gateway, its pid in GW
start_gateway() {
  gateway_json "$2" > "$WORK/gateway-$2.json"
  # shellcheck disable=SC2086
  java ${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m} -jar "$1" --config "$WORK/gateway-$2.json" \
    > "$WORK/gateway-$2.out" 2>&1 &
  GW=$!; PIDS+=("$GW")
}
start_gateway "$JAR" 18080
if [[ -n $JAR_B ]]; then GW_A=$GW; start_gateway "$JAR_B" 18082; GW_B=$GW; fi
haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.out" 2>&1 & HA=$!; PIDS+=("$HA")
wait_port 18080; wait_port 18090; [[ -z $JAR_B ]] || wait_port 18082

# measure NAME PID COMMAND...: runs the command, prints requests/s and proxy CPU per request
measure() {
  local name=$1 pid=$2 t0 t1 out rps; shift 2
  t0=$(ticks "$pid")
  out=$("$@" 2>&1)
  t1=$(ticks "$pid")
  rps=$(awk '/^Requests\/sec/ {print $2} /^finished in/ {gsub(",", "", $4); print $4}' <<<"$out" | head -1)
  awk -v n="$name" -v rps="$rps" -v d="$DURATION" -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-28s %10.0f req/s  %6.1f us/req\n", n, rps, t * 1e6 / hz / (rps * d) }'
}
h2() { h2load -c "$CONNS" -m "$STREAMS" -t 2 -D "${2:-$DURATION}" "http://127.0.0.1:$1/index.html"; }
h1() { wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$1/index.html"; }

if [[ -n $JAR_B ]]; then
  h2 18080 "${WARMUP:-$DURATION}" > /dev/null; h2 18082 "${WARMUP:-$DURATION}" > /dev/null # warm-up (the JIT)
  h2 18090 > /dev/null
  for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    if ((round % 2)); then
      measure "A $(basename "$JAR")" "$GW_A" h2 18080; measure "B $(basename "$JAR_B")" "$GW_B" h2 18082
      measure "haproxy h2c" "$HA" h2 18090
    else
      measure "haproxy h2c" "$HA" h2 18090; measure "B $(basename "$JAR_B")" "$GW_B" h2 18082
      measure "A $(basename "$JAR")" "$GW_A" h2 18080
    fi
  done
  exit 0
fi
h2 18080 > /dev/null; h2 18090 > /dev/null # warm-up
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  if ((round % 2)); then
    measure "gateway h2c" "$GW" h2 18080; measure "haproxy h2c" "$HA" h2 18090
  else
    measure "haproxy h2c" "$HA" h2 18090; measure "gateway h2c" "$GW" h2 18080
  fi
  measure "gateway http/1.1 (wrk)" "$GW" h1 18080
  measure "haproxy http/1.1 (wrk)" "$HA" h1 18091
done
