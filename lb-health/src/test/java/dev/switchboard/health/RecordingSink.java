package dev.switchboard.health;

import dev.switchboard.api.Health;
import dev.switchboard.api.spi.HealthSink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that records every report, for tests. */
final class RecordingSink implements HealthSink {

    record Report(String virtualService, String subService, String server, Health health, String reason) {
    }

    final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public boolean setHealth(String virtualService, String subService, String server, Health health, String reason) {
        reports.add(new Report(virtualService, subService, server, health, reason));
        return true;
    }

    Optional<Report> last(String subService, String server) {
        Report found = null;
        for (Report r : reports) {
            if (r.subService().equals(subService) && r.server().equals(server)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }

    boolean lastIs(String subService, String server, Health health, String reasonPrefix) {
        return last(subService, server)
                .filter(r -> r.health() == health && r.reason().startsWith(reasonPrefix))
                .isPresent();
    }
}
