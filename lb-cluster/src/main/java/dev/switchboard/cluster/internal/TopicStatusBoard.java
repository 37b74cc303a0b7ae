package dev.switchboard.cluster.internal;

import com.hazelcast.topic.ITopic;
import dev.switchboard.cluster.MemberStatus;
import dev.switchboard.cluster.StatusBoard;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One status board on a Hazelcast topic of signed documents ({@link StatusWire}): the publisher thread renders and
 * publishes this member's document; the topic's event threads keep each peer's latest in a {@link StatusTable};
 * {@link #statuses} reads that table and the local member list. Thread-safe.
 */
final class TopicStatusBoard implements StatusBoard {

    private static final Logger LOG = LoggerFactory.getLogger(TopicStatusBoard.class);
    private static final Duration MIN_EVERY = Duration.ofMillis(10);
    private static final Duration MAX_EVERY = Duration.ofMinutes(10);

    private final StatusBoards boards;
    private final String name;
    private final ITopic<byte[]> topic;
    private final StatusTable table = new StatusTable(DEPARTED_RETENTION, MAX_DEPARTED);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final UUID listener;
    private ScheduledFuture<?> publishing;

    TopicStatusBoard(StatusBoards boards, String name) {
        this.boards = boards;
        this.name = name;
        this.topic = boards.hz().getTopic("switchboard.status." + name);
        this.listener = topic.addMessageListener(m -> onMessage(m.getMessageObject()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Publication publish(Supplier<byte[]> document, Duration every) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(every, "every");
        if (every.compareTo(MIN_EVERY) < 0 || every.compareTo(MAX_EVERY) > 0) {
            throw new IllegalArgumentException("every: " + every + " (expected: 10 ms to 10 minutes)");
        }
        if (boards.closed()) {
            throw new IllegalStateException("status board " + name + ": the member is closed");
        }
        if (publishing != null) {
            publishing.cancel(false);
        }
        ScheduledFuture<?> f = boards.publisher().scheduleWithFixedDelay(() -> publishOnce(document), 0,
                every.toNanos(), TimeUnit.NANOSECONDS);
        publishing = f;
        return () -> stop(f);
    }

    private synchronized void stop(ScheduledFuture<?> f) {
        f.cancel(false);
        if (publishing == f) {
            publishing = null;
        }
    }

    private void publishOnce(Supplier<byte[]> document) {
        try {
            byte[] doc = document.get();
            if (doc == null || doc.length > MAX_DOCUMENT_BYTES) {
                throw new IllegalStateException(doc == null ? "the document supplier returned null"
                        : "document of " + doc.length + " bytes (expected: at most " + MAX_DOCUMENT_BYTES + ")");
            }
            long seq = sequence.incrementAndGet();
            table.offer(boards.self(), boards.selfAddress(), seq, doc.clone(), boards.now());
            topic.publish(StatusWire.write(boards.secrets(), boards.self(), name, seq, boards.selfAddress(), doc));
        } catch (RuntimeException e) { // never let the schedule die; the peers keep the previous document
            if (failures.getAndIncrement() == 0) {
                LOG.warn("status board {}: could not publish this member's document: {}", name, e.toString());
            } else {
                LOG.debug("status board {}: could not publish: {}", name, e.toString());
            }
        }
    }

    private void onMessage(byte[] bytes) {
        StatusWire.Status s = StatusWire.read(boards.secrets(), name, bytes, MAX_DOCUMENT_BYTES);
        if (s == null) {
            if (rejected.getAndIncrement() == 0) {
                LOG.warn("status board {}: dropped a document that does not verify: a member with another secret?",
                        name);
            }
            return;
        }
        if (!s.sender().equals(boards.self())) {
            table.offer(s.sender(), s.address(), s.sequence(), s.document(), boards.now());
        }
    }

    void departed(UUID member, long nowNanos) {
        table.departed(member, nowNanos);
    }

    @Override
    public List<MemberStatus> statuses() {
        return table.snapshot(boards.self(), boards.liveMembers(), boards.now());
    }

    @Override
    public long rejectedDocuments() {
        return rejected.get();
    }

    void unsubscribe() {
        try {
            topic.removeMessageListener(listener);
        } catch (RuntimeException e) { // the instance is already going
        }
    }
}
