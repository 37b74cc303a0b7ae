package dev.switchboard.benchmarks.simulation;

import dev.switchboard.api.SchedulingMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Balance quality, not speed: how well each built-in scheduler spreads load, in a deterministic discrete-event
 * simulation ({@link BalanceSimulation}) of one {@link Scenario} through the engine's real code, plus
 * consistent-hash remapping ({@link HashRemap}) and weighted round robin's largest burst ({@link WeightedBurst}).
 * Prints Markdown tables; the same seed prints the same tables, on any thread (the engine's random draws come from
 * the seed through its builder, and its round-robin positions have one stripe). This is how a user chooses a
 * scheduler.
 *
 * <p>Run (about three seconds for the standard scenario; {@code small} runs the unit test's scenario; {@code large}
 * is 256 servers, where the least-connection schedulers bound their scan):
 * <pre>{@code
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.simulation.BalanceQuality \
 *     [standard|small|large]
 * }</pre>
 */
public final class BalanceQuality {

    /** The schedulers compared (fixed weighting sends everything to one server by design, so it is left out). */
    static final List<SchedulingMethod> METHODS = List.of(SchedulingMethod.ROUND_ROBIN,
            SchedulingMethod.WEIGHTED_ROUND_ROBIN, SchedulingMethod.LEAST_CONNECTION,
            SchedulingMethod.WEIGHTED_LEAST_CONNECTION, SchedulingMethod.LEAST_LOADED, SchedulingMethod.RANDOM,
            SchedulingMethod.SOURCE_IP_HASH);

    /** Clients per scenario client in the remap experiment: 100,000 for the standard scenario. */
    static final int REMAP_CLIENTS_PER_CLIENT = 10;

    private BalanceQuality() {
    }

    /** @param args {@code standard} (default), {@code small} or {@code large} */
    public static void main(String[] args) {
        String which = args.length == 0 ? "standard" : args[0];
        Scenario scenario = switch (which) {
            case "standard" -> Scenario.standard();
            case "small" -> Scenario.small();
            case "large" -> Scenario.large();
            default -> throw new IllegalArgumentException("scenario: " + which
                    + " (expected: standard, small or large)");
        };
        System.out.print(report(scenario));
    }

    /** Every table for {@code scenario}, as Markdown. */
    public static String report(Scenario scenario) {
        List<SchedulerResult> results = new ArrayList<>();
        for (SchedulingMethod method : METHODS) {
            results.add(new BalanceSimulation(scenario, method).run());
        }
        List<HashRemap.Result> remaps = new HashRemap(remapClients(scenario), scenario.seed()).run(scenario.seed());
        List<WeightedBurst.Result> bursts = WeightedBurst.run(scenario);
        return ReportTables.scenario(scenario) + ReportTables.schedulers(results) + ReportTables.ramp(scenario, results)
                + ReportTables.remap(remapClients(scenario), remaps) + ReportTables.bursts(bursts);
    }

    static int remapClients(Scenario scenario) {
        return scenario.clients() * REMAP_CLIENTS_PER_CLIENT;
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
