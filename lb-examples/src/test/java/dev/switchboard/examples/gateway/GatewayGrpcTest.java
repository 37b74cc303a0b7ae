package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.ConfigCheck;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.GrpcBackend;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through the whole gateway from a configuration file: an http virtual service with h2c from clients and a
 * sub-service with {@code "upstreamProtocol": "h2"} in front of two gRPC servers; calls spread over both, each one a
 * request in the sub-service's statistics and a line of the access log; {@code --check} accepts the key.
 */
class GatewayGrpcTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GrpcBackend g1;
    private GrpcBackend g2;
    private Gateway gateway;
    private AccessLogCapture log;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        g1 = GrpcBackend.start("g1");
        g2 = GrpcBackend.start("g2");
        log = new AccessLogCapture();
        gateway = Gateway.start(GatewayConfigReader.read(file()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.address("grpc").getPort()).usePlaintext()
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        log.close();
        g1.close();
        g2.close();
    }

    private Path file() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "accessLog": {"format": "json"},
                  "virtualServices": [
                    { "name": "grpc", "listen": "127.0.0.1:0", "protocol": "http", "scheduling": "round-robin",
                      "http2": { "cleartext": true },
                      "subServices": [ { "name": "echo", "default": true, "upstreamProtocol": "h2",
                        "realServers": [ { "name": "g1", "address": "%s" },
                                         { "name": "g2", "address": "%s" } ] } ] } ] }
                """.formatted(g1.address(), g2.address()));
        return file;
    }

    @Test
    void unaryCalls_spreadOverTheH2RealServers_countedAndLoggedPerStream() throws Exception {
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            answers.add(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hi"));
        }

        assertThat(answers).containsExactlyInAnyOrder("g1:hi", "g2:hi");
        JsonNode line = JSON.readTree(log.next("\"uri\":\"/test.Echo/Unary\""));
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2.0");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("subService").asText()).isEqualTo("echo");
        RealServerStats stats = gateway.engine().stats().findRealServer("grpc", "echo", "g2").orElseThrow();
        assertThat(stats.totalRequests()).isEqualTo(2);
        assertThat(stats.activeConnections()).isZero();
    }

    @Test
    void check_acceptsUpstreamProtocol() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConfigCheck.check(file(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(ConfigCheck.OK);
    }
}
