package dev.switchboard.engine;

import dev.switchboard.api.OutlierState;
import dev.switchboard.api.event.AdminStateEvent;
import dev.switchboard.api.event.AuthenticationEvent;
import dev.switchboard.api.event.ConfigurationEvent;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.api.event.HealthEvent;
import dev.switchboard.api.event.OutlierStateEvent;
import dev.switchboard.api.event.RecordedEvent;
import dev.switchboard.api.event.SorryServerEvent;
import dev.switchboard.api.event.SubServiceStateEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last state changes of an engine (and of whatever embeds it) with their times, in a bounded ring: the oldest
 * is dropped when a new one would exceed the capacity. As an {@link EngineListener} it records the engine's own
 * events (health, admin state, outlier state, sub-service state with panic mode, sorry server, configuration in
 * force, pre-authentication logins, failures and lockouts); a host records its own with {@link #record} (a
 * refused reload, a fleet member joining). Every event recorded is also logged, one line on the logger {@code
 * switchboard.events}: INFO, but DEBUG for pre-authentication logins and failures (one per login attempt).
 *
 * <pre>{@code
 * EventHistory history = EventHistory.withCapacity(1000);
 * DispatchEngine engine = DispatchEngine.builder(model).listener(history).build();
 * ...
 * for (RecordedEvent e : history.since(lastSeen)) { ... }   // oldest first, newest last
 * }</pre>
 *
 * <p>Thread-safe and lock-free: recording takes one atomic increment and one array write, reading copies the ring.
 * Nothing here is on the request path: events come from the control plane (health checks, admin calls, reloads).
 * A reader racing a writer may miss the event being written at that instant; it never sees a torn one.
 */
public final class EventHistory implements EngineListener {

    /** The capacity of {@link #create()}. */
    public static final int DEFAULT_CAPACITY = 1_000;
    /** The largest capacity accepted. */
    public static final int MAX_CAPACITY = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger("switchboard.events");

    /** One slot of the ring: the event and its sequence number, so that a reader can tell an overwritten slot. */
    private record Slot(long sequence, RecordedEvent event) {
    }

    private final Clock clock;
    private final AtomicReferenceArray<Slot> ring;
    private final AtomicLong next = new AtomicLong();
    /** The last state heard per {@code vs/sub} and {@code vs/sub/server}: the {@code from} of the next event. */
    private final Map<String, String> lastStates = new ConcurrentHashMap<>();

    private EventHistory(int capacity, Clock clock) {
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clock = clock;
    }

    /** A history of the last {@link #DEFAULT_CAPACITY} events, timed by the system clock (UTC). */
    public static EventHistory create() {
        return withCapacity(DEFAULT_CAPACITY);
    }

    /**
     * A history of the last {@code capacity} events, timed by the system clock (UTC).
     *
     * @throws IllegalArgumentException when {@code capacity} is not in 1..{@link #MAX_CAPACITY}
     */
    public static EventHistory withCapacity(int capacity) {
        return withCapacity(capacity, Clock.systemUTC());
    }

    /**
     * A history of the last {@code capacity} events, timed by {@code clock} (for tests).
     *
     * @throws IllegalArgumentException when {@code capacity} is not in 1..{@link #MAX_CAPACITY}
     */
    public static EventHistory withCapacity(int capacity, Clock clock) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1.." + MAX_CAPACITY + ")");
        }
        return new EventHistory(capacity, Objects.requireNonNull(clock, "clock"));
    }

    /** How many events the ring keeps. */
    public int capacity() {
        return ring.length();
    }

    /** How many events were recorded since the start, including those dropped since. */
    public long recorded() {
        return next.get();
    }

    /**
     * Records an event of {@code kind} now; an argument that does not apply is the empty string.
     *
     * @return the event as recorded, with its time
     * @throws NullPointerException when an argument is null
     */
    public RecordedEvent record(EventKind kind, String virtualService, String subService, String realServer,
            String from, String to, String reason) {
        RecordedEvent event = new RecordedEvent(clock.instant(), kind, virtualService, subService, realServer, from,
                to, reason);
        record(event);
        return event;
    }

    /** Records {@code event} as it is (its own time), dropping the oldest when the ring is full, and logs it. */
    public void record(RecordedEvent event) {
        Objects.requireNonNull(event, "event");
        long sequence = next.getAndIncrement();
        ring.set((int) (sequence % ring.length()), new Slot(sequence, event));
        if (event.kind() == EventKind.AUTHENTICATION && !event.to().equals("lockout")) {
            LOG.debug("{}", event.describe()); // one per login: nothing above DEBUG per request
        } else {
            LOG.info("{}", event.describe());
        }
    }

    /** Every event kept, oldest first, newest last. */
    public List<RecordedEvent> events() {
        return since(Instant.MIN);
    }

    /** The events kept whose time is after {@code time} (strictly), oldest first, newest last. */
    public List<RecordedEvent> since(Instant time) {
        Objects.requireNonNull(time, "time");
        long end = next.get();
        long start = Math.max(0, end - ring.length());
        List<RecordedEvent> out = new ArrayList<>((int) (end - start));
        for (long s = start; s < end; s++) {
            Slot slot = ring.get((int) (s % ring.length()));
            // another sequence: overwritten since we read end, or not written yet by a racing writer
            if (slot != null && slot.sequence() == s && slot.event().time().isAfter(time)) {
                out.add(slot.event());
            }
        }
        return out;
    }

    @Override
    public void onHealth(HealthEvent e) {
        record(EventKind.HEALTH, e.virtualService(), e.subService(), e.server(), e.previous().configName(),
                e.current().configName(), e.reason());
    }

    @Override
    public void onAdminState(AdminStateEvent e) {
        record(EventKind.ADMIN_STATE, e.virtualService(), e.subService(), e.server(), e.previous().configName(),
                e.current().configName(), e.reason());
    }

    @Override
    public void onOutlierState(OutlierStateEvent e) {
        String previous = lastStates.put(e.virtualService() + "/" + e.subService() + "/" + e.server(),
                e.state().configName()); // every server starts normal, and every change is an event
        record(EventKind.OUTLIER, e.virtualService(), e.subService(), e.server(),
                previous == null ? OutlierState.NORMAL.configName() : previous, e.state().configName(), e.reason());
    }

    @Override
    public void onSubServiceState(SubServiceStateEvent e) {
        String previous = lastStates.put(e.virtualService() + "/" + e.subService(), e.state());
        record(EventKind.SUB_SERVICE, e.virtualService(), e.subService(), "", previous == null ? "" : previous,
                e.state(), e.healthyServers() + " of " + e.servers() + " servers healthy");
    }

    @Override
    public void onSorryServer(SorryServerEvent e) {
        record(EventKind.SORRY_SERVER, e.virtualService(), e.subService(), "", e.inUse() ? "unused" : "in-use",
                e.inUse() ? "in-use" : "unused", "sorry server " + e.sorryServer());
    }

    @Override
    public void onAuthentication(AuthenticationEvent e) {
        String who = (e.user().isEmpty() ? "" : "user " + e.user()) + (e.client().isEmpty() ? ""
                : (e.user().isEmpty() ? "" : " ") + "from " + e.client());
        record(EventKind.AUTHENTICATION, e.virtualService(), "", "", "", e.what().configName(),
                who + (e.reason().isEmpty() ? "" : (who.isEmpty() ? "" : ": ") + e.reason()));
    }

    @Override
    public void onConfiguration(ConfigurationEvent e) {
        record(EventKind.RELOAD, "", "", "", "", "", e.current().virtualServices().size() + " virtual services");
    }
}
