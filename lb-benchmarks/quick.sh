#!/usr/bin/env bash
# Quick mode: the whole lb-benchmarks suite in under 10 minutes on 2 cores (one fork, 2 warm-up and 3 measurement
# iterations of 200 ms, -prof gc), JSON results per benchmark class, the persistence footprint, the balance-quality
# simulation, the health-check load, then the charts. Figures from a quick run are indicative; docs/benchmarks.md
# says which command produced each table.
#
# Usage (from anywhere):
#   lb-benchmarks/quick.sh [--no-build] [--smoke] [--out DIR] [--charts DIR]
#     --no-build   use the existing lb-benchmarks/target/benchmarks.jar
#     --smoke      one 50 ms iteration per benchmark: checks that everything runs, measures nothing (~4 min)
#     --out DIR    where results go (default lb-benchmarks/target/quick-<UTC date-time>)
#     --charts DIR where the SVG charts go (default: the results directory; pass docs to update docs/)
# Environment: JMH_ITERATIONS overrides "-f 1 -wi 2 -i 3 -w 200ms -r 200ms"; JAVA overrides the java command.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
build=1
iterations=${JMH_ITERATIONS:-"-f 1 -wi 2 -i 3 -w 200ms -r 200ms"}
out=""
charts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --smoke) iterations="-f 1 -wi 1 -i 1 -w 50ms -r 50ms" ;;
    --out) out="$2"; shift ;;
    --charts) charts="$2"; shift ;;
    *) echo "quick.sh: unknown option $1 (expected: --no-build, --smoke, --out DIR, --charts DIR)" >&2; exit 2 ;;
  esac
  shift
done
java=${JAVA:-java}
jar="$root/lb-benchmarks/target/benchmarks.jar"
out=${out:-"$root/lb-benchmarks/target/quick-$(date -u +%Y%m%dT%H%M%SZ)"}
charts=${charts:-"$out"}
mkdir -p "$out"
start=$(date +%s)
log="$out/run.log"

step() { printf '\n== %s (%ds) ==\n' "$1" $(( $(date +%s) - start )) | tee -a "$log"; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GB"}')"
  echo "java: $("$java" -version 2>&1 | tr '\n' ' ')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "iterations: $iterations"
} | tee "$out/machine.txt"

if [ "$build" = 1 ]; then
  step "build"
  mvn -B -q -o -DskipTests package -pl lb-benchmarks -am 2>&1 | tee -a "$log" \
    || mvn -B -q -DskipTests package -pl lb-benchmarks -am 2>&1 | tee -a "$log"
fi
[ -f "$jar" ] || { echo "quick.sh: $jar is missing (run without --no-build)" >&2; exit 1; }

# name, JMH arguments (benchmark pattern first); each writes $out/<name>.json and <name>.txt
jmh() {
  local name=$1; shift
  step "$name: $*"
  # shellcheck disable=SC2086
  "$java" -jar "$jar" "$@" $iterations -prof gc -rf json -rff "$out/$name.json" > "$out/$name.txt" 2>&1 \
    || { echo "quick.sh: $name failed, see $out/$name.txt" | tee -a "$log" >&2; tail -20 "$out/$name.txt" >&2; exit 1; }
  grep -E '^# Run complete' "$out/$name.txt" | tee -a "$log"
}

jmh pick 'peers.PeerPickBenchmark' -p weights=MIXED
jmh schedulers 'dispatch.PickBenchmark' -p weights=MIXED
jmh dispatch 'dispatch.DispatchBenchmark'
jmh stages 'dispatch.DispatchStagesBenchmark'
jmh persistence 'persistence.PersistenceStoreBenchmark' -p type=CONCURRENT_HASH_MAP,TABLE,CAFFEINE
jmh tls 'tls.Tls'

step "persistence footprint (heap after full GC)"
for n in 10000 1000000; do
  "$java" -Xms3g -Xmx3g -XX:+UseSerialGC -cp "$jar" dev.switchboard.benchmarks.persistence.PersistenceStoreFootprint \
    --entries "$n" CONCURRENT_HASH_MAP TABLE CAFFEINE 2>/dev/null | tee -a "$out/footprint.txt"
done

step "balance-quality simulation"
"$java" -cp "$jar" dev.switchboard.benchmarks.simulation.BalanceQuality 2>/dev/null > "$out/simulation.md"

step "health-check load (1,000 TCP probes, 10 s)"
"$java" -cp "$jar" dev.switchboard.benchmarks.health.HealthCheckerLoad 10 > "$out/health.txt" 2>&1 \
  || echo "quick.sh: health-check load failed, see $out/health.txt" | tee -a "$log"

step "charts"
"$java" -cp "$jar" dev.switchboard.benchmarks.chart.JmhChart --standard "$out" "$charts" | tee -a "$log"

step "done"
cat <<EOF | tee -a "$log"
Results in $out:
  machine.txt                         machine, JDK, commit, iteration settings
  pick.json / pick.txt                PeerPickBenchmark (ours and peers, 2..4,096 servers, 1 and 2 threads)
  schedulers.json / schedulers.txt    dispatch.PickBenchmark (every scheduler, 16 servers)
  dispatch.json / dispatch.txt        DispatchBenchmark (1..1,000 rules, literal/regex, cookie hit or not)
  stages.json / stages.txt            DispatchStagesBenchmark (diagnostic)
  persistence.json / persistence.txt  PersistenceStoreBenchmark (hit/miss, 10 k and 1 M entries)
  tls.json / tls.txt                  TLS handshakes, resumption, bulk
  footprint.txt                       bytes per persistence entry
  simulation.md                       balance-quality tables
  health.txt                          health-check CPU load
Charts in $charts: benchmarks-pick.svg, benchmarks-dispatch.svg
Total: $(( $(date +%s) - start )) s
EOF
