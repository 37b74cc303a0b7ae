package dev.switchboard.benchmarks.simulation;

import java.util.Objects;

/**
 * One real server of a {@link Scenario}: its configured weight (what the schedulers see), and what it really is,
 * which no scheduler is told: how many requests it serves at once ({@code workers}; more wait in its own FIFO
 * queue) and how long one takes (log-normal with this median and shape {@code sigma}).
 *
 * @param name the real server's name
 * @param weight the configured weight, 1..65535
 * @param workers requests served at once, at least 1
 * @param medianMillis the median service time in milliseconds, above 0
 * @param sigma the log-normal shape (0 = always the median)
 */
public record ServerSpec(String name, int weight, int workers, double medianMillis, double sigma) {

    /** @throws IllegalArgumentException naming the first value out of range */
    public ServerSpec {
        Objects.requireNonNull(name, "name");
        if (weight < 1 || weight > 65_535) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1..65535)");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: 1 or more)");
        }
        if (!(medianMillis > 0)) {
            throw new IllegalArgumentException("medianMillis: " + medianMillis + " (expected: above 0)");
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("sigma: " + sigma + " (expected: 0 or more)");
        }
    }

    /** The mean service time in milliseconds, {@code median * exp(sigma^2 / 2)}. */
    public double meanMillis() {
        return medianMillis * Math.exp(sigma * sigma / 2);
    }

    /** Requests per second this server completes when always busy. */
    public double capacityPerSecond() {
        return workers * 1000.0 / meanMillis();
    }
}
