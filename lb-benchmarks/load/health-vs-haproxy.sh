#!/usr/bin/env bash
# Active health checks, Switchboard's HealthChecker against HAProxy's: 1,000 servers checked every second, same
# targets, one prober at a time, CPU of the prober's process as a percentage of one core.
#
#   lb-benchmarks/load/health-vs-haproxy.sh [seconds=30] [rounds=2] [modes="tcp http-fresh http"]
#
# Needs: Java 17, the benchmarks jar (mvn -B -q -DskipTests package) and the Debian package haproxy (installed here
# with apt-get when missing and possible). The probed side is one separate process (HealthCheckerLoad serve: one
# selector thread on 127.0.0.1:19000-19049 that accepts, answers "200" to each HTTP request head and closes on the
# end of the stream), so neither prober is charged for it in user space; the kernel's work for both ends of each
# loopback connection is still charged to whoever runs it, which is the prober's thread more often than not.
#
# Modes: tcp (connect with TCP_QUICKACK off, then close with a reset before the handshake's last ACK: both probers
# do this), http-fresh (GET /health on a new connection per check: what HAProxy's httpchk does) and http
# (Switchboard only: the connection kept between checks, its default; HAProxy has no such mode). Both probers:
# 20 checks x 50 ports = 1,000 targets, interval 1 s, timeout 500 ms. HAProxy runs with one thread (nbthread 1),
# like the checker's one loop. Each prober is warmed up (Switchboard 20 s: the JIT; HAProxy 5 s), then measured for
# the given seconds from /proc/PID/stat; the order of the two alternates per round (the second run of a pair tends
# to be the faster one on this VM, docs/benchmarks.md).
#
# Each result shows, in brackets, the probes a second the responder served meanwhile (means of its 10 s windows), to
# show that both probers did the same work. TCP probes never reach the responder's application (its kernel answers
# the handshake and gets the reset), so for tcp Switchboard's run shows instead how many of its 1,000 targets had a
# successful probe within the last 1.5 s, and HAProxy's shows 0/s.
set -euo pipefail

SECONDS_MEASURED=${1:-30}
ROUNDS=${2:-2}
MODES=${3:-"tcp http-fresh http"}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/lb-benchmarks/target/benchmarks.jar"
LOAD=dev.switchboard.benchmarks.health.HealthCheckerLoad
BASE_PORT=19000
WORK=$(mktemp -d /tmp/sb-health.XXXXXX)
PIDS=()

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
trap cleanup EXIT
need_tools haproxy haproxy
[[ -f "$JAR" ]] || { echo "missing $JAR: run mvn -B -q -DskipTests package first" >&2; exit 1; }

haproxy_conf() { # mode
  local mode=$1
  {
    cat <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 500ms
  timeout check 500ms
  timeout client 10s
  timeout server 10s
frontend unused
  bind 127.0.0.1:$((BASE_PORT + 99))
  default_backend pool0
CONF
    for c in $(seq 0 19); do
      echo "backend pool$c"
      if [[ $mode != tcp ]]; then
        echo "  option httpchk"
        echo "  http-check send meth GET uri /health ver HTTP/1.1 hdr Host 127.0.0.1"
        echo "  http-check expect status 200"
      fi
      echo "  default-server check inter 1s rise $((c + 1)) fall 3"
      for p in $(seq 0 49); do
        echo "  server s$((c * 50 + p)) 127.0.0.1:$((BASE_PORT + p))"
      done
    done
  } > "$WORK/haproxy-$mode.cfg"
}

run_haproxy() { # mode -> prints "% of one core"
  haproxy_conf "$1"
  haproxy -f "$WORK/haproxy-$1.cfg" -db >"$WORK/haproxy.log" 2>&1 &
  local pid=$!
  sleep 5
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "haproxy did not start:" >&2; cat "$WORK/haproxy.log" >&2; exit 1
  fi
  local t0 w0 t1 w1
  t0=$(ticks "$pid"); w0=$(date +%s%N)
  sleep "$SECONDS_MEASURED"
  t1=$(ticks "$pid"); w1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v t="$((t1 - t0))" -v w="$((w1 - w0))" 'BEGIN {printf "%.2f", 100 * t / 100 / (w / 1e9)}'
}

run_switchboard() { # mode -> prints "% of one core"
  java -Dwarmup=20 -cp "$JAR" "$LOAD" "$SECONDS_MEASURED" "$1" 127.0.0.1 "$BASE_PORT" > "$WORK/sb.log" 2>&1
  sed -n 's/^process CPU: \([0-9.]*\) %.*/\1/p' "$WORK/sb.log"
}

targets_ok() { # "N/1000 ok" from Switchboard's last run
  sed -n 's/^targets whose last probe succeeded within 1.5 s: \([0-9]*\) of \([0-9]*\)$/\1\/\2 ok/p' "$WORK/sb.log"
}

java -cp "$JAR" "$LOAD" serve 127.0.0.1 "$BASE_PORT" > "$WORK/responder.log" 2>&1 &
PIDS+=($!)
RESPONDER=$!
wait_port "$BASE_PORT"
wait_port $((BASE_PORT + 49))

# the responder prints the probes it served every 10 s: the mean of the windows that fall inside the last run
rate_since() { # line count before the run
  tail -n +"$(($1 + 2))" "$WORK/responder.log" | sed -n 's/^\([0-9]*\) probes\/s$/\1/p' \
    | awk '{s += $1; n++} END {if (n) printf "%.0f/s", s / n; else printf "?"}'
}

one() { # prober mode -> "cpu% (probes/s)"
  local n0 cpu
  n0=$(wc -l < "$WORK/responder.log")
  if [[ $1 == switchboard ]]; then
    cpu=$(run_switchboard "$2")
    [[ $2 == tcp ]] && { echo "$cpu % ($(targets_ok))"; return; }
  else
    cpu=$(run_haproxy "$2")
  fi
  echo "$cpu % ($(rate_since "$n0"))"
}

printf '%-11s %-6s %-22s %s\n' mode round "switchboard (served)" "haproxy (served)"
for mode in $MODES; do
  for round in $(seq 1 "$ROUNDS"); do
    if [[ $mode == http ]]; then
      sb=$(one switchboard "$mode"); hp="n/a (no kept-connection checks)"
    elif ((round % 2 == 1)); then
      sb=$(one switchboard "$mode"); hp=$(one haproxy "$mode")
    else
      hp=$(one haproxy "$mode"); sb=$(one switchboard "$mode")
    fi
    printf '%-11s %-6s %-22s %s\n' "$mode" "$round" "$sb" "$hp"
  done
done
