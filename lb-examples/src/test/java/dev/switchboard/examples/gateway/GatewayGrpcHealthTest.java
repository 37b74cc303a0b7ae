package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.engine.RealServerStats;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC health check from the JSON file ({@code "type": "grpc"}) on an h2 sub-service in front of two grpc-java
 * servers running the real health service: a server that says {@code NOT_SERVING} for the checked service is taken
 * out of the sub-service, with the reason in the statistics, and clients' calls through the gateway go to the other
 * one until it serves again.
 */
class GatewayGrpcHealthTest {

    private static final Metadata.Key<String> PROBE = Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path dir;

    private final Backend g1 = new Backend();
    private final Backend g2 = new Backend();
    private Gateway gateway;
    private ManagedChannel channel;

    /** A gRPC server with the health service, counting the calls that are not the gateway's probes. */
    private static final class Backend implements AutoCloseable {
        final HealthStatusManager health = new HealthStatusManager();
        final AtomicInteger clientCalls = new AtomicInteger();
        Server server;

        void start() throws Exception {
            health.setStatus("switchboard.Mail", ServingStatus.SERVING);
            ServerInterceptor count = new ServerInterceptor() {
                @Override
                public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                        ServerCallHandler<Q, A> next) {
                    if (headers.get(PROBE) == null) {
                        clientCalls.incrementAndGet();
                    }
                    return next.startCall(call, headers);
                }
            };
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(health.getHealthService(), count)).build().start();
        }

        String address() {
            return "127.0.0.1:" + server.getPort();
        }

        @Override
        public void close() throws Exception {
            health.enterTerminalState();
            if (server != null) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        g1.close();
        g2.close();
    }

    @Test
    void notServing_takesTheServerOut_untilItServesAgain() throws Exception {
        g1.start();
        g2.start();
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "virtualServices": [
                    { "name": "grpc", "listen": "127.0.0.1:0", "protocol": "http", "scheduling": "round-robin",
                      "http2": { "cleartext": true },
                      "subServices": [ { "name": "mail", "default": true, "upstreamProtocol": "h2",
                        "healthCheck": { "type": "grpc", "service": "switchboard.Mail",
                                         "headers": { "x-probe": "gateway" },
                                         "interval": "100ms", "timeout": "3s", "rise": 1, "fall": 2 },
                        "realServers": [ { "name": "g1", "address": "%s" },
                                         { "name": "g2", "address": "%s" } ] } ] } ] }
                """.formatted(g1.address(), g2.address()));
        gateway = Gateway.start(GatewayConfigReader.read(file));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.address("grpc").getPort()).usePlaintext()
                .build();
        Eventually.until("both up", () -> health("g1") == Health.UP && health("g2") == Health.UP);

        g2.health.setStatus("switchboard.Mail", ServingStatus.NOT_SERVING);
        Eventually.until("g2 down", () -> health("g2") == Health.DOWN);
        assertThat(stats("g2").healthReason()).isEqualTo("NOT_SERVING");
        int before = g2.clientCalls.get();
        for (int i = 0; i < 6; i++) {
            assertThat(call().getStatus()).isEqualTo(ServingStatus.SERVING); // every call answered by g1
        }
        assertThat(g2.clientCalls.get()).isEqualTo(before);
        assertThat(g1.clientCalls.get()).isEqualTo(6);

        g2.health.setStatus("switchboard.Mail", ServingStatus.SERVING);
        Eventually.until("g2 up again", () -> health("g2") == Health.UP);
        for (int i = 0; i < 6; i++) {
            call();
        }
        assertThat(g2.clientCalls.get()).isEqualTo(before + 3);
    }

    private io.grpc.health.v1.HealthCheckResponse call() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("switchboard.Mail").build());
    }

    private RealServerStats stats(String server) {
        return gateway.engine().stats().findRealServer("grpc", "mail", server).orElseThrow();
    }

    private Health health(String server) {
        return stats(server).health();
    }
}
