package dev.switchboard.api.event;

import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One entry of an event history: a state change with the time it was recorded. A field that does not apply to the
 * kind (the real server of a {@link EventKind#RELOAD}, the {@code from} of a first sighting) is the empty string,
 * never null. Immutable.
 *
 * <pre>{@code
 * new RecordedEvent(Instant.now(), EventKind.HEALTH, "mail", "owa", "ex01", "up", "down", "status 503")
 * }</pre>
 *
 * @param time when it was recorded
 * @param kind what it is about
 * @param virtualService the virtual service, or empty
 * @param subService the sub-service, or empty
 * @param realServer the real server, or empty
 * @param from the state before, or empty
 * @param to the state now, or empty
 * @param reason why (a probe's verdict, who set a state, what was wrong with a configuration), or empty
 */
public record RecordedEvent(Instant time, EventKind kind, String virtualService, String subService,
        String realServer, String from, String to, String reason) {

    public RecordedEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(realServer, "realServer");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * One line for a log: {@code health mail/owa/ex01 up -> down (status 503)}, leaving out what is empty.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(64).append(kind.configName());
        String where = String.join("/", Stream.of(virtualService, subService, realServer)
                .filter(s -> !s.isEmpty()).toList());
        if (!where.isEmpty()) {
            sb.append(' ').append(where);
        }
        if (!from.isEmpty() || !to.isEmpty()) {
            sb.append(' ').append(from.isEmpty() ? "?" : from).append(" -> ").append(to.isEmpty() ? "?" : to);
        }
        if (!reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
        return sb.toString();
    }
}
