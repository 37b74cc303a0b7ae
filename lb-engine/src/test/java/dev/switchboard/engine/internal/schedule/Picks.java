package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.SplittableRandom;

/** Counting picks in scheduler tests. */
final class Picks {

    private Picks() {
    }

    /** The client hash of the {@code k}-th pick: distinct, spread over all 64 bits. */
    static long hash(int k) {
        return k * 0x9E3779B97F4A7C15L;
    }

    /** How often each server was picked in {@code count} picks; fails on {@link Scheduler#NONE}. */
    static long[] count(Scheduler scheduler, ServerSet servers, int count) {
        long[] counts = new long[servers.size()];
        for (int k = 0; k < count; k++) {
            int picked = scheduler.pick(servers, hash(k));
            assertThat(picked).isBetween(0, servers.size() - 1);
            counts[picked]++;
        }
        return counts;
    }

    /**
     * Like {@link #count} but every pick opens a connection on the picked server and, once {@code concurrent}
     * connections are open, a random open connection closes (equal lifetimes), so that connection-counting
     * schedulers see a steady load.
     */
    static long[] countWithConnections(Scheduler scheduler, TestServerSet servers, int count, int concurrent,
            SplittableRandom random) {
        long[] counts = new long[servers.size()];
        int[] open = new int[concurrent];
        int opened = 0;
        for (int k = 0; k < count; k++) {
            int picked = scheduler.pick(servers, hash(k));
            assertThat(picked).isBetween(0, servers.size() - 1);
            counts[picked]++;
            servers.connect(picked);
            if (opened < concurrent) {
                open[opened++] = picked;
            } else {
                int slot = random.nextInt(concurrent);
                servers.disconnect(open[slot]);
                open[slot] = picked;
            }
        }
        return counts;
    }

    /** {@code counts[i]} as a fraction of the sum. */
    static double share(long[] counts, int i) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return (double) counts[i] / total;
    }
}
