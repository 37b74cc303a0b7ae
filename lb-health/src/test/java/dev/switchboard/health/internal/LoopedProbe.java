package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link TcpProbe} on a {@link HealthLoop} of its own, for tests that drive the probe directly. */
final class LoopedProbe implements AutoCloseable {

    final HealthLoop loop = new HealthLoop("test-health-loop");
    final TcpProbe probe = new TcpProbe(loop);

    /** Runs one probe from the test thread and waits up to 5 s for its outcome. */
    ProbeOutcome run(Address address, HealthCheck check) throws Exception {
        CompletableFuture<ProbeOutcome> f = new CompletableFuture<>();
        probe.probe(address, check, f::complete);
        return f.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        probe.close();
        loop.close();
        loop.awaitTermination(1_000);
    }
}
