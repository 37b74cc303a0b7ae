#!/usr/bin/env bash
# Two (or more) gateway jars, or one jar with two settings, against each other in order-balanced rounds.
#
#   lb-benchmarks/load/gateway-ab.sh [-r rounds=3] [-d seconds=15] [-w warmup=10] [-c connections=64]
#                                    [-m plain|tls|tls-new] [-k] VARIANT VARIANT ...
#
# A VARIANT is a jar, optionally followed by '|' and JVM options and by '|' and more members of the listener's "tls"
# object (tls modes), e.g. '/tmp/a.jar' '/tmp/a.jar|-Xms1g -Xmx1g' '/tmp/a.jar||, "sessionTickets": true'. Without
# JVM options a gateway runs with GATEWAY_JAVA_OPTS (default "-Xms256m -Xmx256m").
#
# Two nginx backends (as in gateway-vs-haproxy.sh) serve every gateway; over TLS (https with a fresh ECDSA P-256
# certificate; tls-new opens a connection and makes a full handshake per request) both proxies use the same
# certificate. Each measurement is wrk -t2 -cCONNECTIONS for the measured seconds after a warm-up (in runs of the
# measured length: common.sh warm_up). By default every run starts fresh processes (backends and gateway) and warms
# the gateway up; with -k each variant's gateway starts once (on 127.0.0.1:18080, 18081, ...), is warmed up once, and
# the rounds alternate between the running gateways,
# which leaves the JIT's late compilations out of the comparison. Prints requests/s, p50/p90/p99, and the CPU per
# request of the gateway process and of the two nginx workers (from /proc/PID/stat over the measured run): the
# gateway's figure is what a change buys, nginx's shows when the machine itself was slow. The order of the variants
# is reversed in every second round (A B, B A, ...): on a shared VM the machine's speed drifts by about ±10 % within
# minutes and the second run of a pair tends to be the faster one, so keep the number of rounds even.
#
# Two JVMs of the same jar can differ by 15 % for their whole life (JIT decisions, thread placement), more than most
# changes: with -k, list each variant twice (A B A B) to run two instances of each; the closing summary averages a
# variant's instances in every round and gives, per variant, the median over the rounds of its gateway CPU per
# request, raw and over nginx's, as a ratio to the first variant's.
set -euo pipefail

ROUNDS=3; DURATION=15; WARMUP=10; CONNECTIONS=64; MODE=plain; KEEP=false
while getopts "r:d:w:c:m:k" opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;; d) DURATION=$OPTARG ;; w) WARMUP=$OPTARG ;; c) CONNECTIONS=$OPTARG ;; m) MODE=$OPTARG ;;
    k) KEEP=true ;; *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 1)) || { echo "usage: $0 [-r rounds] [-d seconds] [-w warmup] [-c connections] [-m mode] [-k] VARIANT..." >&2
  exit 2; }
for variant in "$@"; do [[ -f ${variant%%|*} ]] || { echo "no such jar: ${variant%%|*}" >&2; exit 2; }; done

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
scheme_of "$MODE" > /dev/null
need_tools "nginx wrk openssl" "nginx-light wrk openssl"

# start_environment: the backends and (tls modes) the certificate, in a new WORK; sets NGINX_WORKERS
start_environment() {
  WORK=$(mktemp -d /tmp/sb-ab.XXXXXX); PIDS=()
  start_backends "$WORK"
  [[ $MODE == plain ]] || make_certificate "$WORK"
  NGINX_WORKERS=$(pgrep -P "${PIDS[0]}"; pgrep -P "${PIDS[1]}")
}

# start_gateway VARIANT PORT: starts it, waits for its port, and appends its pid to PIDS
start_gateway() {
  local jar opts tls_extra
  IFS='|' read -r jar opts tls_extra <<<"$1"
  [[ -n $opts ]] || opts=${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m}
  gateway_config "$WORK/gateway-$2.json" "$WORK" "$MODE" "$2" "$tls_extra"
  # shellcheck disable=SC2086 # the options are meant to split
  java $opts -jar "$jar" --config "$WORK/gateway-$2.json" > "$WORK/gateway-$2.out" 2>&1 & PIDS+=($!)
  wait_port "$2"
}

# measure PORT PID: prints one result line
measure() {
  local out rps rest g0 n0 g1 n1
  # shellcheck disable=SC2086
  g0=$(ticks "$2"); n0=$(ticks $NGINX_WORKERS)
  out=$(wrk_run "$MODE" "$1" "$CONNECTIONS" "$DURATION" --latency)
  # shellcheck disable=SC2086
  g1=$(ticks "$2"); n1=$(ticks $NGINX_WORKERS)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  rest=$(awk '/Non-2xx|Socket errors/ {printf "  %s", $0}' <<<"$out")
  awk -v rps="$rps" -v d="$DURATION" -v g="$((g1 - g0))" -v n="$((n1 - n0))" -v hz="$(getconf CLK_TCK)" \
    -v lat="$(awk '$1 ~ /^(50|90|99)%$/ {printf "%s ", $2}' <<<"$out")" -v rest="$rest" \
    'BEGIN { split(lat, l, " "); printf "%10.0f req/s  p50 %s p90 %s p99 %s  gateway %.1f us/req  nginx %.1f us/req%s",
      rps, l[1], l[2], l[3], g * 1e6 / hz / (rps * d), n * 1e6 / hz / (rps * d), rest }'
}

# summary FILE: per variant (instances of one variant averaged in each round), the median over the rounds of its
# gateway CPU per request and of that figure over nginx's, each as a ratio to the first variant's in the same round
summary() {
  awk -F '\t' '{ r = $1; v = $2; nf = split($3, f, " ")
         for (i = 1; i <= nf; i++) { if (f[i] == "gateway") g = f[i + 1]; if (f[i] == "nginx") n = f[i + 1] }
         if (!(v in seen)) { seen[v] = 1; names[++nv] = v }
         key = r SUBSEP v; cnt[key]++; gsum[key] += g; nsum[key] += g / n; rounds[r] = 1 }
       END {
         printf "summary, as a ratio to %s per round (median over the rounds):\n", names[1]
         for (k = 2; k <= nv; k++) {
           m = 0
           for (r in rounds) { a = r SUBSEP names[1]; b = r SUBSEP names[k]
             if (cnt[a] && cnt[b]) { m++; gr[m] = (gsum[b] / cnt[b]) / (gsum[a] / cnt[a])
               nr[m] = (nsum[b] / cnt[b]) / (nsum[a] / cnt[a]) } }
           printf "  %-48s gateway us/req %.3f  over nginx us/req %.3f  (%d rounds)\n", names[k], med(gr, m),
             med(nr, m), m }
       }
       function med(x, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) {
           t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
         return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2 }' "$1"
}

# fresh_run VARIANT: fresh backends and gateway, a warm-up, one measurement
fresh_run() {
  start_environment
  trap cleanup EXIT
  start_gateway "$1" 18080
  warm_up "$MODE" 18080 "$CONNECTIONS" "$WARMUP" "$DURATION"
  measure 18080 "${PIDS[-1]}"
  cleanup
  trap - EXIT
}

VARIANTS=("$@")
GATEWAYS=()
RESULTS=$(mktemp /tmp/sb-ab-results.XXXXXX)
echo "mode $MODE, wrk -t2 -c$CONNECTIONS, warm-up ${WARMUP}s, measured ${DURATION}s, kept processes: $KEEP;" \
  "$(nproc) cores"
if $KEEP; then
  start_environment
  trap cleanup EXIT
  for i in "${!VARIANTS[@]}"; do
    start_gateway "${VARIANTS[i]}" $((18080 + i)); GATEWAYS+=("${PIDS[-1]}")
  done
  for i in "${!VARIANTS[@]}"; do warm_up "$MODE" $((18080 + i)) "$CONNECTIONS" "$WARMUP" "$DURATION"; done
fi
for round in $(seq 1 "$ROUNDS"); do
  order=("${!VARIANTS[@]}")
  if ((round % 2 == 0)); then
    order=(); for ((i = ${#VARIANTS[@]} - 1; i >= 0; i--)); do order+=("$i"); done
  fi
  for i in "${order[@]}"; do
    variant=${VARIANTS[i]}
    if $KEEP; then line=$(measure $((18080 + i)) "${GATEWAYS[i]}"); else line=$(fresh_run "$variant"); fi
    label="$(basename "${variant%%|*}")${variant#"${variant%%|*}"}"
    printf 'round %s  %-48s %s\n' "$round" "$label" "$line"
    printf '%s\t%s\t%s\n' "$round" "$label" "$line" >> "$RESULTS"
  done
done
summary "$RESULTS"
rm -f "$RESULTS"
