package dev.switchboard.benchmarks.simulation;

import static dev.switchboard.benchmarks.simulation.BalanceQuality.format;

import java.util.List;

/** The Markdown tables of {@link BalanceQuality}. Stateless. */
final class ReportTables {

    /** Servers listed in the scenario table; a larger pool (the large scenario's copies) is summed up in a row. */
    static final int LISTED_SERVERS = 8;

    private ReportTables() {
    }

    static String scenario(Scenario s) {
        StringBuilder b = new StringBuilder();
        b.append(format("Scenario: %,.0f requests/s (Poisson) for %d s from %,d clients, seed 0x%X; slow start %d s; "
                + "%s down from %d s to %d s.%n%n", s.requestsPerSecond(), s.durationSeconds(), s.clients(), s.seed(),
                s.slowStartSeconds(), s.returningServer(), s.downAtSecond(), s.upAtSecond()));
        b.append("| server | weight | workers | median service | capacity/s | note |\n|---|---|---|---|---|---|\n");
        double total = 0;
        for (ServerSpec spec : s.servers()) {
            total += spec.capacityPerSecond();
        }
        for (ServerSpec spec : s.servers().subList(0, Math.min(s.servers().size(), LISTED_SERVERS))) {
            String note = spec.name().equals(s.slowServer()) ? "slow"
                    : spec.name().equals(s.returningServer()) ? "fails and returns" : "";
            b.append(format("| %s | %d | %d | %.0f ms | %,.0f | %s |%n", spec.name(), spec.weight(), spec.workers(),
                    spec.medianMillis(), spec.capacityPerSecond(), note));
        }
        if (s.servers().size() > LISTED_SERVERS) {
            b.append(format("| ... | | | | | %,d more servers, copies of the above |%n",
                    s.servers().size() - LISTED_SERVERS));
        }
        b.append(format("%nPool capacity %,.0f requests/s (load %.0f %% with all up).%n%n", total,
                100 * s.requestsPerSecond() / total));
        return b.toString();
    }

    static String schedulers(List<SchedulerResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| scheduler | requests | p50 ms | p99 ms | max ms | load max/min | to the slow server "
                + "| its capacity share | not forwarded |\n|---|---|---|---|---|---|---|---|---|\n");
        for (SchedulerResult r : results) {
            b.append(format("| %s | %,d | %.1f | %.1f | %.0f | %.2f | %,d (%.1f %%) | %.1f %% | %d |%n",
                    r.method().configName(), r.requests(), r.p50Millis(), r.p99Millis(), r.maxMillis(),
                    r.loadRatio(), r.toSlow(), 100 * r.slowShare(), 100 * r.slowCapacityShare(),
                    r.notForwarded()));
        }
        return b.append('\n').toString();
    }

    static String ramp(Scenario s, List<SchedulerResult> results) {
        StringBuilder b = new StringBuilder();
        b.append(format("Returning server %s: request rate per 5 s window after it came back at %d s, in %% of its "
                + "rate before the failure (slow start %d s).%n%n| scheduler |", s.returningServer(), s.upAtSecond(),
                s.slowStartSeconds()));
        int windows = results.isEmpty() ? 0 : results.get(0).rampPercent().length;
        StringBuilder rule = new StringBuilder("|---|");
        for (int w = 0; w < windows; w++) {
            b.append(format(" +%d..%d s |", w * 5, w * 5 + 5));
            rule.append("---|");
        }
        b.append('\n').append(rule).append('\n');
        for (SchedulerResult r : results) {
            b.append("| ").append(r.method().configName()).append(" |");
            for (int p : r.rampPercent()) {
                b.append(format(" %d |", p));
            }
            b.append('\n');
        }
        return b.append('\n').toString();
    }

    static String remap(int clients, List<HashRemap.Result> remaps) {
        StringBuilder b = new StringBuilder();
        b.append(format("Consistent hash (source-ip-hash): %,d clients over %d servers, then one leaves.%n%n",
                clients, HashRemap.SERVERS));
        b.append("| weights | how it leaves | clients moved | its share before | moved although their server stayed |\n"
                + "|---|---|---|---|---|\n");
        for (HashRemap.Result r : remaps) {
            b.append(format("| %s | %s | %.2f %% | %.2f %% | %d |%n", r.weights(), r.how(), 100 * r.movedFraction(),
                    100 * r.leavingShare(), r.movedElsewhere()));
        }
        return b.append('\n').toString();
    }

    static String bursts(List<WeightedBurst.Result> bursts) {
        StringBuilder b = new StringBuilder();
        b.append("Weighted round robin, largest burst to one server (10 cycles, one thread):\n\n"
                + "| weights | Switchboard | Armeria weightedRoundRobin() | least possible |\n|---|---|---|---|\n");
        for (WeightedBurst.Result r : bursts) {
            b.append(format("| %s | %d | %d | %d |%n", r.weights(), r.switchboard(), r.armeria(), r.leastPossible()));
        }
        return b.toString();
    }
}
