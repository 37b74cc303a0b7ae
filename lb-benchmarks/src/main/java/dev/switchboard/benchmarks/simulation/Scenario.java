package dev.switchboard.benchmarks.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BalanceSimulation} plays: the real servers, a Poisson request stream, one slow server, and one
 * server that fails (its health check marks it down) and returns (up again, then slow start), all in simulated
 * time. Immutable.
 *
 * @param servers the pool, in configuration order
 * @param requestsPerSecond the mean arrival rate of the Poisson stream
 * @param durationSeconds how long requests arrive (the run then drains what is in flight)
 * @param clients distinct client addresses, drawn uniformly per request (for the source-IP hash scheduler)
 * @param slowServer the name of the slow server (reported apart; its spec says how slow it is)
 * @param returningServer the name of the server that fails and returns
 * @param downAtSecond when {@code returningServer} is marked down
 * @param upAtSecond when it is marked up again
 * @param slowStartSeconds the virtual service's slow start
 * @param seed the seed of every random draw (arrivals, clients, service times, the engine's own draws)
 */
public record Scenario(List<ServerSpec> servers, double requestsPerSecond, int durationSeconds, int clients,
        String slowServer, String returningServer, int downAtSecond, int upAtSecond, int slowStartSeconds,
        long seed) {

    /** The seed of {@link #standard()} and {@link #small()}. */
    public static final long SEED = 0x5EED_0020L;
    /** How many copies of the standard pool {@link #large()} has. */
    static final int LARGE_COPIES = 32;

    /** @throws IllegalArgumentException naming the first value out of range */
    public Scenario {
        servers = List.copyOf(servers);
        Objects.requireNonNull(slowServer, "slowServer");
        Objects.requireNonNull(returningServer, "returningServer");
        if (servers.size() < 2) {
            throw new IllegalArgumentException("servers: " + servers.size() + " (expected: 2 or more)");
        }
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: above 0)");
        }
        if (!(0 < downAtSecond && downAtSecond < upAtSecond && upAtSecond < durationSeconds)) {
            throw new IllegalArgumentException("downAtSecond, upAtSecond: " + downAtSecond + ", " + upAtSecond
                    + " (expected: 0 < down < up < durationSeconds " + durationSeconds + ")");
        }
        if (clients < 1 || slowStartSeconds < 0) {
            throw new IllegalArgumentException("clients, slowStartSeconds: " + clients + ", " + slowStartSeconds
                    + " (expected: 1 or more, 0 or more)");
        }
        indexOf(servers, slowServer);
        indexOf(servers, returningServer);
    }

    /**
     * Eight servers of three sizes (weights 4, 2, 1 with 16, 8, 4 workers, 20 ms median), one of the weight-2 ones
     * five times slower than its weight says ({@code slow}, 100 ms), one weight-2 server down from 60 s to 90 s
     * with 30 s of slow start; 2,000 requests/s for 180 s (about 70 % of the pool's real capacity while all are up,
     * 80 % during the outage).
     */
    public static Scenario standard() {
        return new Scenario(pool(), 2_000, 180, 10_000, "slow", "b3", 60, 90, 30, SEED);
    }

    /**
     * The same pool at a tenth of the rate (lightly loaded) for 40 s, outage 10..20 s, slow start 10 s: the unit
     * test's run, well under a second.
     */
    public static Scenario small() {
        return new Scenario(pool(), 200, 40, 1_000, "slow", "b3", 10, 20, 10, SEED);
    }

    /**
     * A large pool: the eight servers of {@link #standard()} 32 times over (256 servers; the copies are named
     * {@code a1-1} ... {@code c2-31}, each copy with its own slow server; {@code slow} and {@code b3} of the
     * first copy are the ones reported) at 32 times the rate (64,000 requests/s, about 70 % of capacity) for 40 s,
     * {@code b3} down from 10 s to 20 s, slow start 10 s. This is where the least-connection schedulers compare
     * a bounded number of servers per pick instead of scanning the pool.
     */
    public static Scenario large() {
        List<ServerSpec> servers = new ArrayList<>();
        for (int copy = 0; copy < LARGE_COPIES; copy++) {
            for (ServerSpec s : pool()) {
                String name = copy == 0 ? s.name() : s.name() + "-" + copy;
                servers.add(new ServerSpec(name, s.weight(), s.workers(), s.medianMillis(), s.sigma()));
            }
        }
        return new Scenario(servers, 2_000.0 * LARGE_COPIES, 40, 100_000, "slow", "b3", 10, 20, 10, SEED);
    }

    private static List<ServerSpec> pool() {
        return List.of(
                new ServerSpec("a1", 4, 16, 20, 0.5), new ServerSpec("a2", 4, 16, 20, 0.5),
                new ServerSpec("b1", 2, 8, 20, 0.5), new ServerSpec("b2", 2, 8, 20, 0.5),
                new ServerSpec("b3", 2, 8, 20, 0.5), new ServerSpec("slow", 2, 8, 100, 0.5),
                new ServerSpec("c1", 1, 4, 20, 0.5), new ServerSpec("c2", 1, 4, 20, 0.5));
    }

    /** The index of the server named {@code name}. */
    int indexOf(String name) {
        return indexOf(servers, name);
    }

    private static int indexOf(List<ServerSpec> servers, String name) {
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("server: " + name + " (expected: one of the pool's names)");
    }
}
