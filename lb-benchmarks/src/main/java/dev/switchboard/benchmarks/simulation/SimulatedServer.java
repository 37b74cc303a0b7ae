package dev.switchboard.benchmarks.simulation;

import dev.switchboard.api.Decision;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * One real server during one {@link BalanceSimulation} run: {@code workers} requests in service at once, the rest
 * waiting in its FIFO queue, log-normal service times. Records what it was sent and how busy it was. Not
 * thread-safe (a simulation runs on one thread).
 */
final class SimulatedServer {

    /** A request at this server: its lease, when it arrived, how long its service takes, when it finishes. */
    static final class Job {
        final Decision.Forward lease;
        final long arrivedNanos;
        final long serviceNanos;
        final long sequence;
        final SimulatedServer server;
        long finishNanos;

        Job(Decision.Forward lease, long arrivedNanos, long serviceNanos, long sequence, SimulatedServer server) {
            this.lease = lease;
            this.arrivedNanos = arrivedNanos;
            this.serviceNanos = serviceNanos;
            this.sequence = sequence;
            this.server = server;
        }
    }

    final ServerSpec spec;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private int busy;
    /** Requests sent here, per second of simulated time (arrival second). */
    final int[] perSecond;
    long requests;
    /** The service time of every request sent here (whenever it is served): the work this server was given. */
    long busyNanos;

    SimulatedServer(ServerSpec spec, int seconds) {
        this.spec = spec;
        this.perSecond = new int[seconds + 1];
    }

    /** A service time drawn from this server's distribution. */
    long drawServiceNanos(SplittableRandom random) {
        double millis = spec.medianMillis() * Math.exp(spec.sigma() * random.nextGaussian());
        return Math.max(1L, (long) (millis * 1_000_000));
    }

    /**
     * Takes a request at {@code now}.
     *
     * @return the job when it starts service now (its finish time is set), or null when it waits in the queue
     */
    Job accept(Job job, long now) {
        requests++;
        int second = (int) (now / 1_000_000_000L);
        perSecond[Math.min(second, perSecond.length - 1)]++;
        if (busy < spec.workers()) {
            return start(job, now);
        }
        waiting.addLast(job);
        return null;
    }

    /** A request finished at {@code now}: returns the next one that starts service, or null. */
    Job finish(long now) {
        busy--;
        Job next = waiting.pollFirst();
        return next == null ? null : start(next, now);
    }

    private Job start(Job job, long now) {
        busy++;
        busyNanos += job.serviceNanos;
        job.finishNanos = now + job.serviceNanos;
        return job;
    }
}
