#!/usr/bin/env bash
# PROXY protocol interop with HAProxy, both ways: HAProxy sends v2 (http) and v1 (tcp) headers to the reference
# gateway (acceptProxyProtocol), and the gateway sends v2 (http) and v1 (tcp) headers on to HAProxy frontends that
# accept-proxy and answer with the source address they were told. curl's own source address and port (127.0.0.5 and
# 127.0.0.6, a random port) must come out at the far end; a client that sends no header must be closed and counted.
#
#   lb-benchmarks/load/proxy-protocol-interop.sh
#
# Needs: Java 17, lb-examples/target/lb-gateway.jar (mvn -B -q -DskipTests package), curl and the Debian package
# haproxy (installed here with apt-get when missing and possible). Ports 18070-18099 on 127.0.0.1. Exit 0 when every
# check passes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/lb-examples/target/lb-gateway.jar"
WORK=$(mktemp -d /tmp/sb-proxyproto.XXXXXX)
PIDS=()

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
trap cleanup EXIT
need_tools "haproxy curl" "haproxy curl"

cat > "$WORK/gateway.json" <<'JSON'
{ "admin": { "listen": "127.0.0.1:18099" },
  "virtualServices": [
    { "name": "edge", "listen": "127.0.0.1:18080", "protocol": "http",
      "acceptProxyProtocol": true, "trustedProxies": ["127.0.0.1/32"],
      "subServices": [ { "name": "pool", "default": true, "proxyProtocol": "v2",
        "realServers": [ { "name": "hv2", "address": "127.0.0.1:18091" } ] } ] },
    { "name": "raw", "listen": "127.0.0.1:18081", "protocol": "tcp",
      "acceptProxyProtocol": true, "trustedProxies": ["127.0.0.1/32"],
      "subServices": [ { "name": "pool", "default": true,
        "realServers": [ { "name": "hv1", "address": "127.0.0.1:18092", "proxyProtocol": "v1" } ] } ] } ] }
JSON

cat > "$WORK/haproxy.cfg" <<'CFG'
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend front_http
    mode http
    bind 127.0.0.1:18070
    default_backend to_gw_http
backend to_gw_http
    mode http
    server gw 127.0.0.1:18080 send-proxy-v2
frontend front_tcp
    mode tcp
    bind 127.0.0.1:18071
    default_backend to_gw_tcp
backend to_gw_tcp
    mode tcp
    server gw 127.0.0.1:18081 send-proxy
frontend real_v2
    mode http
    bind 127.0.0.1:18091 accept-proxy
    http-request return status 200 content-type text/plain lf-string "src=%[src]:%[src_port] xff=%[req.hdr(x-forwarded-for)]\n"
frontend real_v1
    mode http
    bind 127.0.0.1:18092 accept-proxy
    http-request return status 200 content-type text/plain lf-string "src=%[src]:%[src_port] xff=%[req.hdr(x-forwarded-for)]\n"
CFG

haproxy -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
java -jar "$JAR" --config "$WORK/gateway.json" > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_port 18070
wait_port 18099 # the admin API binds after the listeners (a bare connect to 18080 would count as a rejection)

failed=0
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok   $1: $3"; else echo "FAIL $1: expected '$2', got '$3'"; failed=1; fi
}
port=$((40000 + RANDOM % 10000))
check "http: HAProxy v2 in, gateway v2 out" "src=127.0.0.5:$port xff=127.0.0.5" \
  "$(curl -s --interface 127.0.0.5 --local-port "$port" http://127.0.0.1:18070/x)"
check "tcp: HAProxy v1 in, gateway v1 out" "src=127.0.0.6:$((port + 1)) xff=" \
  "$(curl -s --interface 127.0.0.6 --local-port $((port + 1)) http://127.0.0.1:18071/y)"
check "no header: closed" "000" "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/z || true)"
# edge is the first virtual service in the stats
check "counted in /api/stats" '"proxyProtocolRejected":1' \
  "$(curl -s http://127.0.0.1:18099/api/stats | grep -o '"proxyProtocolRejected":[0-9]*' | head -1)"
exit $failed
