package dev.switchboard.benchmarks.simulation;

import dev.switchboard.api.SchedulingMethod;

/**
 * What one scheduler did in one {@link Scenario}. Immutable.
 *
 * @param method the scheduler
 * @param requests requests dispatched
 * @param notForwarded dispatches that were not a forward (503: nothing eligible)
 * @param p50Millis median latency (queueing + service) of all requests, milliseconds
 * @param p99Millis 99th percentile latency, milliseconds
 * @param maxMillis the largest latency, milliseconds
 * @param loadRatio most over least loaded server, load being the work sent (the sum of the service times of its
 *                  requests) per worker, among the servers that were up all the time (1.0 = perfectly spread
 *                  by real capacity)
 * @param toSlow requests sent to the slow server
 * @param slowShare {@code toSlow} over all requests
 * @param slowCapacityShare the slow server's share of the pool's real capacity (what a perfect scheduler sends)
 * @param rampPercent the returning server's request rate in each 5-second window after it returned, in percent
 *                    of its mean rate before it failed
 */
public record SchedulerResult(SchedulingMethod method, long requests, long notForwarded, double p50Millis,
        double p99Millis, double maxMillis, double loadRatio, long toSlow, double slowShare,
        double slowCapacityShare, int[] rampPercent) {
}
