package dev.switchboard.netty;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.transport.NettyTransport;

import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.engine.RealServerStats;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A gateway on 127.0.0.1 port 0 for one virtual service, with its own transport and engine. */
final class ProxyFixture implements AutoCloseable {

    final NettyTransport transport;
    final DispatchEngine engine;
    final HttpProxy proxy;

    private ProxyFixture(NettyTransport transport, DispatchEngine engine, HttpProxy proxy) {
        this.transport = transport;
        this.engine = engine;
        this.proxy = proxy;
    }

    static ProxyFixture start(VirtualService.Builder vs) {
        return start(vs, b -> b);
    }

    static ProxyFixture start(VirtualService.Builder vs, UnaryOperator<ListenerSettings.Builder> settings) {
        VirtualService service = vs.build();
        DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder().virtualService(service).build());
        NettyTransport transport = NettyTransport.create(2, true);
        ListenerSettings.Builder b = ListenerSettings.builder(service.name(), Address.parse("127.0.0.1:0"),
                service.protocol());
        HttpProxy proxy = HttpProxy.bind(transport, engine, settings.apply(b).build());
        return new ProxyFixture(transport, engine, proxy);
    }

    int port() {
        return proxy.localAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Waits (bounded) until no lease of the virtual service is still held: none was lost. */
    void assertNoLeaseHeld() {
        Eventually.until("no lease held", () -> engine.stats().virtualServices().stream()
                .flatMap(v -> v.subServices().stream()).flatMap(s -> s.realServers().stream())
                .mapToInt(RealServerStats::activeConnections).sum() == 0);
    }

    /** Failures counted for one real server (passive health's view). */
    long failures(String subService, String server) {
        return engine.stats().findRealServer(name(), subService, server)
                .orElseThrow().failures();
    }

    private String name() {
        return engine.model().virtualServices().get(0).name();
    }

    @Override
    public void close() {
        proxy.close(Duration.ZERO).join();
        engine.close();
        transport.close();
    }
}
