package dev.switchboard.micrometer;

import static dev.switchboard.micrometer.MeterNames.*;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierState;
import dev.switchboard.engine.LiveRealServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The function meters of one real server in one sub-service: they read its live counters at each scrape. */
final class ServerMeters {

    private ServerMeters() {
    }

    static Tags tags(String virtualService, String subService, String server) {
        return Tags.of(VIRTUAL_SERVICE, virtualService, SUB_SERVICE, subService, REAL_SERVER, server);
    }

    /** Registers the meters of {@code rs}; returns them, for removal when the server goes. */
    static List<Meter> register(MeterRegistry registry, LiveRealServer rs) {
        Tags tags = tags(rs.virtualService(), rs.subService(), rs.name());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder(REQUESTS, rs, LiveRealServer::requests).tags(tags)
                .description("Leases handed out to the real server").register(registry));
        for (int c = 1; c <= 5; c++) {
            int statusClass = c;
            meters.add(FunctionCounter.builder(RESPONSES, rs, s -> s.responses(statusClass))
                    .tags(tags).tag("class", c + "xx")
                    .description("Responses of the real server by status class").register(registry));
        }
        for (Outcome.Failure f : Outcome.Failure.values()) {
            if (f != Outcome.Failure.NONE) {
                meters.add(FunctionCounter.builder(FAILURES, rs, s -> s.failures(f)).tags(tags)
                        .tag("kind", f.name().toLowerCase(Locale.ROOT))
                        .description("Leases that ended in a connection failure, by kind").register(registry));
            }
        }
        meters.add(Gauge.builder(ACTIVE, rs, LiveRealServer::activeConnections).tags(tags)
                .description("Leases not yet released").register(registry));
        meters.add(FunctionCounter.builder(RECEIVED, rs, LiveRealServer::bytesIn).tags(tags).baseUnit(BaseUnits.BYTES)
                .description("Bytes from clients, as the host reports them").register(registry));
        meters.add(FunctionCounter.builder(SENT, rs, LiveRealServer::bytesOut).tags(tags).baseUnit(BaseUnits.BYTES)
                .description("Bytes to clients, as the host reports them").register(registry));
        meters.add(Gauge.builder(HEALTHY, rs, s -> s.health() == Health.UP ? 1 : 0).tags(tags)
                .description("1 when the health verdict is up").register(registry));
        for (AdminState a : AdminState.values()) {
            meters.add(Gauge.builder(ADMIN_STATE, rs, s -> s.adminState() == a ? 1 : 0).tags(tags)
                    .tag("state", a.configName()).description("1 for the admin state in force").register(registry));
        }
        for (OutlierState o : OutlierState.values()) {
            meters.add(Gauge.builder(OUTLIER_STATE, rs, s -> s.outlierState() == o ? 1 : 0).tags(tags)
                    .tag("state", o.name().toLowerCase(Locale.ROOT))
                    .description("1 for the passive (outlier detection) state in force").register(registry));
        }
        meters.add(Gauge.builder(WEIGHT, rs, LiveRealServer::effectiveWeight).tags(tags)
                .description("The weight schedulers use").register(registry));
        meters.add(FunctionCounter.builder(EJECTIONS, rs, LiveRealServer::ejections).tags(tags)
                .description("Ejections by passive outlier detection").register(registry));
        meters.add(FunctionCounter.builder(PROBES, rs, s -> s.probes(true)).tags(tags).tag("result", "passed")
                .description("Active health probes by result").register(registry));
        meters.add(FunctionCounter.builder(PROBES, rs, s -> s.probes(false)).tags(tags).tag("result", "failed")
                .description("Active health probes by result").register(registry));
        meters.add(TimeGauge.builder(PROBE_LATENCY, rs, TimeUnit.NANOSECONDS,
                        s -> s.lastProbeNanos() < 0 ? Double.NaN : s.lastProbeNanos())
                .tags(tags).description("Latency of the last active health probe").register(registry));
        return meters;
    }
}
