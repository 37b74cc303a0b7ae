package dev.switchboard.examples.embed;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.health.HealthChecker;
import dev.switchboard.health.OutlierDetector;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Switchboard embedded in Undertow: one {@link SwitchboardHandler} for one virtual service, active health checks
 * ({@link HealthChecker}, following the checks the model's sub-services carry) and passive outlier detection
 * ({@link OutlierDetector}, fed by every lease the handler releases, for sub-services that configure it), all feeding
 * the engine. Nothing waits on a thread: Undertow's I/O threads run the handler, the upstream client and the queue's
 * hop back. Thread-safe; close it once.
 *
 * <pre>{@code
 * try (UndertowGateway g = UndertowGateway.start(new InetSocketAddress(8080), model, "web")) {
 *     ...
 * }
 * }</pre>
 */
public final class UndertowGateway implements AutoCloseable {

    private final DispatchEngine engine;
    private final HealthChecker health;
    private final OutlierDetector outliers;
    private final Undertow server;
    private final VirtualService virtualService;

    private UndertowGateway(InetSocketAddress listen, LoadBalancer model, String virtualService) {
        this.virtualService = model.virtualServices().stream().filter(v -> v.name().equals(virtualService))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "virtualService: '" + virtualService + "' (expected: one of the model's virtual services)"));
        this.engine = DispatchEngine.create(model);
        this.outliers = OutlierDetector.builder(engine).build();
        engine.setOutcomeListener(outliers); // every released lease's outcome, from the releasing thread
        this.health = HealthChecker.builder(engine).build();
        health.apply(model); // one target per real server of every sub-service with a healthCheck
        this.server = Undertow.builder().setIoThreads(2).setWorkerThreads(2)
                .addHttpListener(listen.getPort(), listen.getHostString())
                .setHandler(new SwitchboardHandler(engine, virtualService)).build();
        try {
            server.start();
        } catch (RuntimeException e) {
            closeEngine();
            throw e;
        }
    }

    /**
     * Binds {@code listen} (port 0 picks one) and balances the virtual service named {@code virtualService} of
     * {@code model}; active checks and passive outlier detection run for the sub-services that configure them.
     *
     * @throws IllegalArgumentException when the model has no such virtual service
     * @throws dev.switchboard.api.ConfigurationException when the engine cannot compile the model
     * @throws RuntimeException (Undertow's) when the address cannot be bound
     */
    public static UndertowGateway start(InetSocketAddress listen, LoadBalancer model, String virtualService) {
        return new UndertowGateway(listen, model, virtualService);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return "http://" + bound.getHostString() + ":" + bound.getPort();
    }

    /** The engine: stats, admin states, reconfiguration. */
    public DispatchEngine engine() {
        return engine;
    }

    /** The active checks, e.g. for the last probe of a server. */
    public HealthChecker health() {
        return health;
    }

    @Override
    public void close() {
        server.stop();
        closeEngine();
    }

    private void closeEngine() {
        health.close();
        outliers.close();
        engine.close();
    }

    /** Starts two tiny real servers and the gateway on loopback, and prints the URL to try. */
    public static void main(String[] args) throws IOException {
        List<RealServer> pool = List.of(RealServer.of("blue", TinyBackend.run("blue")),
                RealServer.of("green", TinyBackend.run("green")));
        // a check starts DOWN until its first probe passes (within one interval); this one starts UP instead
        HealthCheck check = HealthCheck.http().path("/").interval(Duration.ofSeconds(2)).initialState(Health.UP)
                .build();
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app")).realServers(pool)
                        .persistence(Persistence.of(PersistenceMode.ACTIVE_COOKIE)).healthCheck(check).build())
                .subService(SubService.builder("api").asDefault().realServers(pool).healthCheck(check)
                        .outlierDetection(OutlierDetection.ofDefaults()).build()).build()).build();
        UndertowGateway g = start(new InetSocketAddress("127.0.0.1", 0), model, "web");
        System.out.println("try " + g.url() + "/api/hello and " + g.url() + "/app/ (Ctrl-C stops)");
    }
}
