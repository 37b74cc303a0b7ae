package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway without listeners: a real engine over a model where {@code ex01} serves three sub-services of two
 * virtual services, {@code ex-02.b_c} has the nastiest characters a name may have and an address with markup in
 * it, and a health reason carries markup too.
 */
final class TestGateway implements GatewayControl {

    static final String NASTY_NAME = "ex-02.b_c";
    static final String NASTY_HOST = "<script>alert(1)</script>";
    static final String NASTY_REASON = "<img src=x onerror=alert(2)> status 503 & \"quoted\" 'single'";

    private final DispatchEngine engine = DispatchEngine.create(model());
    private final Map<String, ProbeView> probes = new ConcurrentHashMap<>();
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private volatile Runnable reload = reloads::incrementAndGet;

    static LoadBalancer model() {
        return LoadBalancer.builder()
                .virtualService(VirtualService.builder("mail").listen("127.0.0.1:8443").protocol(Protocol.HTTP)
                        .persistence(Persistence.of(PersistenceMode.SOURCE_IP))
                        .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                                .realServer(RealServer.of("ex01", "127.0.0.1:9001"))
                                .realServer(RealServer.of(NASTY_NAME, NASTY_HOST + ":9002")).build())
                        .subService(SubService.builder("ews").matchAny(ContentRule.pathPrefix("/ews"))
                                .realServer(RealServer.of("ex01", "127.0.0.1:9001"))
                                .realServer(RealServer.of("ex03", "127.0.0.1:9003")).build())
                        .subService(SubService.builder("default").asDefault()
                                .realServer(RealServer.of("ex03", "127.0.0.1:9003")).build())
                        .build())
                .virtualService(VirtualService.builder("imap").listen("127.0.0.1:8993").protocol(Protocol.TCP)
                        .subService(SubService.builder("pool").asDefault()
                                .realServer(RealServer.of("ex01", "127.0.0.1:9931")).build())
                        .build())
                .build();
    }

    /** Some traffic, a probe, a down server; leaves one lease on {@code mail/owa} open. */
    TestGateway withTraffic() {
        for (int i = 0; i < 4; i++) {
            forward("/owa/inbox", "10.0.0." + i).release(Outcome.ofStatus(200, 1_000_000));
        }
        forward("/owa/keep-open", "10.0.0.9");
        engine.setHealth("mail", "ews", "ex03", dev.switchboard.api.Health.DOWN, NASTY_REASON);
        probes.put("mail/owa/ex01", new ProbeView(java.time.Instant.parse("2025-01-02T03:04:05Z"),
                java.time.Duration.ofNanos(2_500_000), 200, true, "status 200 <ok>"));
        return this;
    }

    /** One request of {@code path} from a new client address, answered 200. */
    void serve(String path) {
        int n = served.incrementAndGet();
        forward(path, "10.1." + (n / 250) % 250 + "." + n % 250).release(Outcome.ofStatus(200, 1_000_000));
    }

    private Decision.Forward forward(String path, String source) {
        try {
            Decision d = engine.dispatch("mail", HttpRequest.builder().target(path).authority("mail.test")
                    .source(InetAddress.getByName(source)).build());
            if (d instanceof Decision.Forward f) {
                return f;
            }
            throw new AssertionError("expected a forward for " + path + ", got " + d);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    void onReload(Runnable action) {
        this.reload = action;
    }

    int reloads() {
        return reloads.get();
    }

    @Override
    public DispatchEngine engine() {
        return engine;
    }

    @Override
    public GatewayConfig config() {
        return new GatewayConfig(AdminSettings.none(), engine.model(), List.of());
    }

    @Override
    public Optional<ProbeView> findLastProbe(String virtualService, String subService, String server) {
        return Optional.ofNullable(probes.get(virtualService + "/" + subService + "/" + server));
    }

    @Override
    public void reload() {
        reload.run();
    }
}
