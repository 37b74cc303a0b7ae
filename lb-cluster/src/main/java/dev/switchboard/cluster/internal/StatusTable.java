package dev.switchboard.cluster.internal;

import dev.switchboard.cluster.MemberStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest document of each member of one status board, as this member knows it: no I/O, time passed in (nanos
 * of a monotonic clock). A member not among the live ones is departed: listed with {@code alive == false} for the
 * retention, at most {@code maxDeparted} of them (oldest departures dropped first), and dropped at once when a member
 * at the same address publishes (it restarted). Thread-safe: one concurrent map, updated per member atomically.
 */
final class StatusTable {

    private static final long ALIVE = Long.MIN_VALUE;

    /** One member's latest document; {@code departedNanos} is {@link #ALIVE} until it is seen gone. */
    private record Latest(UUID id, String address, long sequence, byte[] document, long receivedNanos,
            long departedNanos) {
    }

    private final ConcurrentHashMap<UUID, Latest> latest = new ConcurrentHashMap<>();
    private final long retentionNanos;
    private final int maxDeparted;

    StatusTable(Duration retention, int maxDeparted) {
        this.retentionNanos = retention.toNanos();
        this.maxDeparted = maxDeparted;
    }

    /** Keeps the document unless one with the same or a higher sequence of that member is here already. */
    boolean offer(UUID id, String address, long sequence, byte[] document, long nowNanos) {
        boolean[] kept = {false};
        latest.compute(id, (k, old) -> {
            if (old != null && old.sequence >= sequence) {
                return old;
            }
            kept[0] = true;
            return new Latest(id, address, sequence, document, nowNanos, ALIVE);
        });
        if (kept[0]) {
            latest.values().removeIf(l -> l.departedNanos != ALIVE && l.address.equals(address) && !l.id.equals(id));
        }
        return kept[0];
    }

    /** Notes that {@code id} left the cluster (its document stays for the retention). */
    void departed(UUID id, long nowNanos) {
        latest.computeIfPresent(id, (k, l) -> l.departedNanos != ALIVE ? l
                : new Latest(l.id, l.address, l.sequence, l.document, l.receivedNanos, nowNanos));
    }

    /** How many members are listed (live with a document, and departed). */
    int size() {
        return latest.size();
    }

    /**
     * Every member: {@code self} first, then the {@code live} members (id to address) by address, then the departed
     * by address. Drops departures past the retention or the bound first.
     */
    List<MemberStatus> snapshot(UUID self, Map<UUID, String> live, long nowNanos) {
        for (Latest l : latest.values()) {
            if (!live.containsKey(l.id)) {
                departed(l.id, nowNanos);
            }
        }
        prune(nowNanos);
        List<MemberStatus> alive = new ArrayList<>();
        List<MemberStatus> gone = new ArrayList<>();
        for (Map.Entry<UUID, String> m : live.entrySet()) {
            Latest l = latest.computeIfPresent(m.getKey(), (k, x) -> x.departedNanos == ALIVE ? x
                    : new Latest(x.id, x.address, x.sequence, x.document, x.receivedNanos, ALIVE)); // back (a merge)
            alive.add(l == null
                    ? new MemberStatus(m.getKey(), m.getValue(), true, m.getKey().equals(self), Duration.ZERO,
                            new byte[0])
                    : status(l, true, self, nowNanos));
        }
        for (Latest l : latest.values()) {
            if (!live.containsKey(l.id)) {
                gone.add(status(l, false, self, nowNanos));
            }
        }
        Comparator<MemberStatus> order = Comparator.comparing((MemberStatus s) -> !s.self())
                .thenComparing(MemberStatus::address).thenComparing(MemberStatus::id);
        alive.sort(order);
        gone.sort(order);
        alive.addAll(gone);
        return List.copyOf(alive);
    }

    private static MemberStatus status(Latest l, boolean alive, UUID self, long nowNanos) {
        return new MemberStatus(l.id, l.address, alive, l.id.equals(self),
                Duration.ofNanos(Math.max(0, nowNanos - l.receivedNanos)), l.document);
    }

    private void prune(long nowNanos) {
        latest.values().removeIf(l -> l.departedNanos != ALIVE && nowNanos - l.departedNanos > retentionNanos);
        List<Latest> departed = new ArrayList<>();
        for (Latest l : latest.values()) {
            if (l.departedNanos != ALIVE) {
                departed.add(l);
            }
        }
        if (departed.size() > maxDeparted) {
            departed.sort(Comparator.comparingLong(Latest::departedNanos));
            for (Latest l : departed.subList(0, departed.size() - maxDeparted)) {
                latest.remove(l.id, l);
            }
        }
    }
}
