package dev.switchboard.examples.gateway;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;

/**
 * A whole gateway (listener, engine, admin API) with one http or https virtual service {@code web} in front of one
 * real server, on a transport whose connection cap the test chooses. The real server answers every path with
 * 200 {@code "web <target>"}, except {@code /hold}, which it answers only once {@link #releaseHeld()} is called.
 * Clients connect from any 127.0.0.0/8 address, so that one test plays several client addresses.
 */
final class LimitsFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Backend backend;
    final NettyTransport transport;
    final Gateway gateway;
    final AtomicInteger holding = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<RawClient> clients = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LimitsFixture(ConnectionBudget budget, Protocol protocol, UnaryOperator<ListenerSettings.Builder> settings) {
        this.backend = Backend.answering("web", r -> {
            if ("/hold".equals(r.getTarget())) {
                holding.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new MockResponse.Builder().code(200).body("web " + r.getTarget()).build();
        });
        VirtualService web = VirtualService.builder("web").listen("127.0.0.1:0").protocol(protocol)
                .subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("s1", backend.address())).build())
                .build();
        ListenerSettings listener = settings.apply(ListenerSettings.builder("web", Address.parse("127.0.0.1:0"),
                protocol)).build();
        GatewayConfig config = new GatewayConfig(AdminSettings.of(Address.parse("127.0.0.1:0"), ""),
                LoadBalancer.builder().virtualService(web).build(), List.of(listener));
        this.transport = NettyTransport.create(2, true, budget);
        this.gateway = Gateway.start(config, Optional.empty(), transport);
    }

    static LimitsFixture start(ConnectionBudget budget, UnaryOperator<ListenerSettings.Builder> settings) {
        return new LimitsFixture(budget, Protocol.HTTP, settings);
    }

    static LimitsFixture start(ConnectionBudget budget, Protocol protocol,
            UnaryOperator<ListenerSettings.Builder> settings) {
        return new LimitsFixture(budget, protocol, settings);
    }

    int port() {
        return gateway.address("web").getPort();
    }

    /** A plain connection to {@code web} from the local address {@code from} (e.g. {@code 127.0.0.2}). */
    RawClient connectFrom(String from) {
        try {
            RawClient c = new RawClient(new Socket(InetAddress.getLoopbackAddress(), port(),
                    InetAddress.getByName(from), 0));
            clients.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a keep-alive GET with {@code headers} (whole lines without CRLF) and reads the whole response. */
    static String get(RawClient c, String path, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: web\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        return c.send(request.append("\r\n").toString()).readResponse();
    }

    /** Sends a GET for {@code /hold} and waits until the real server holds it. */
    void hold(RawClient c, String... headers) {
        int before = holding.get();
        StringBuilder request = new StringBuilder("GET /hold HTTP/1.1\r\nHost: web\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        c.send(request.append("\r\n").toString());
        Eventually.until("the real server holds the request", Duration.ofSeconds(10), () -> holding.get() > before);
    }

    /** Lets every held request (and every later one) be answered. */
    void releaseHeld() {
        release.countDown();
    }

    ConnectionLimiter limiter() {
        return transport.connectionBudget().findLimiter("web").orElseThrow();
    }

    ConnectionBudget budget() {
        return transport.connectionBudget();
    }

    /** {@code GET /api/stats} on the admin listener. */
    JsonNode stats() {
        String admin = "http://" + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + "/api/stats";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(admin))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /api/stats: " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The stats of the virtual service {@code web}. */
    JsonNode webStats() {
        for (JsonNode vs : stats().path("virtualServices")) {
            if (vs.path("name").asText().equals("web")) {
                return vs;
            }
        }
        throw new AssertionError("no virtual service web in /api/stats");
    }


    /** Whether the gateway has let go of every connection: no slot held in the limiter or the gateway's budget. */
    boolean allReleased() {
        return budget().open() == 0 && transport.connectionBudget().findLimiter("web")
                .map(l -> l.open() == 0 && l.clientAddresses() == 0).orElse(true);
    }

    @Override
    public void close() {
        release.countDown();
        clients.forEach(RawClient::close);
        gateway.stop(Duration.ofSeconds(1)).join();
        backend.close();
    }
}
