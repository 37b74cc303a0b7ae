package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.tls.testing.TestPki;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC health checks against grpc-java servers running the real {@code grpc.health.v1} service
 * ({@link HealthStatusManager}), in cleartext and over TLS, and against servers that are not gRPC health servers.
 */
class GrpcHealthCheckerTest {

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final HealthStatusManager health = new HealthStatusManager();
    /** What each call to the server carried: its :authority and metadata. */
    private final BlockingQueue<String> authorities = new LinkedBlockingQueue<>();
    private final BlockingQueue<Metadata> heads = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private HealthChecker checker;

    @BeforeEach
    void setUp() {
        checker = HealthChecker.builder(sink).listener(listener).seed(3).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        checker.close();
        health.enterTerminalState();
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    private static HealthCheck.Builder fast(HealthCheck.Builder b) {
        return b.interval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(2)).rise(1).fall(1);
    }

    private void add(int port, HealthCheck check) {
        checker.add(HealthTarget.of("grpc", "api", "g1", Address.of("127.0.0.1", port), check));
    }

    private Server start(NettyServerBuilder b, boolean withHealth) throws IOException {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                authorities.add(String.valueOf(call.getAuthority()));
                heads.add(headers);
                return next.startCall(call, headers);
            }
        };
        if (withHealth) {
            b.addService(ServerInterceptors.intercept(health.getHealthService(), recorder));
        }
        Server server = b.build().start();
        closers.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return server;
    }

    private Server plainServer(boolean withHealth) throws IOException {
        return start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), withHealth);
    }

    @Test
    void grpc_followsTheServingStatus_upDownAndUpAgain() throws Exception {
        health.setStatus("", ServingStatus.SERVING);
        Server server = plainServer(true);
        add(server.getPort(), fast(HealthCheck.grpc()).build());

        Eventually.until("UP", () -> sink.lastIs("api", "g1", Health.UP, "SERVING"));
        health.setStatus("", ServingStatus.NOT_SERVING);
        Eventually.until("DOWN", () -> sink.lastIs("api", "g1", Health.DOWN, "NOT_SERVING"));
        health.setStatus("", ServingStatus.SERVING);
        Eventually.until("UP again", () -> sink.lastIs("api", "g1", Health.UP, "SERVING"));
        assertThat(listener.of("api")).extracting(HealthTransition::to)
                .containsExactly(Health.UP, Health.DOWN, Health.UP);
    }

    @Test
    void grpc_namedService_isAskedForByName_andAnUnknownOneIsDown() throws Exception {
        health.setStatus("switchboard.Mail", ServingStatus.SERVING);
        health.setStatus("", ServingStatus.NOT_SERVING); // the server as a whole says otherwise: the name is used
        Server server = plainServer(true);
        add(server.getPort(), fast(HealthCheck.grpc()).grpcService("switchboard.Mail").build());
        Eventually.until("UP", () -> sink.lastIs("api", "g1", Health.UP, "SERVING"));

        checker.add(HealthTarget.of("grpc", "other", "g1", Address.of("127.0.0.1", server.getPort()),
                fast(HealthCheck.grpc()).grpcService("switchboard.Nothing").initialState(Health.UP).build()));
        Eventually.until("DOWN", () -> sink.lastIs("other", "g1", Health.DOWN, "grpc-status 5 (NOT_FOUND)"));
    }

    @Test
    void grpc_serverWithoutTheHealthService_isDownAsUnimplemented() throws Exception {
        Server server = plainServer(false);
        add(server.getPort(), fast(HealthCheck.grpc()).initialState(Health.UP).build());

        Eventually.until("DOWN", () -> sink.lastIs("api", "g1", Health.DOWN, "grpc-status 12 (UNIMPLEMENTED)"));
    }

    @Test
    void grpc_sendsTheAuthorityMetadataAndDeadline() throws Exception {
        health.setStatus("", ServingStatus.SERVING);
        Server server = plainServer(true);
        add(server.getPort(), fast(HealthCheck.grpc()).hostHeader("api.example.test")
                .header("x-probe", "switchboard").build());

        Eventually.until("UP", () -> sink.lastIs("api", "g1", Health.UP, "SERVING"));
        assertThat(authorities.poll(5, TimeUnit.SECONDS)).isEqualTo("api.example.test");
        Metadata head = heads.poll(5, TimeUnit.SECONDS);
        assertThat(head.get(Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("switchboard");
        assertThat(head.get(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("2000m");
    }

    @Test
    void grpcs_trustedCa_isUp_andAnUntrustedOneIsDown() throws Exception {
        TestPki.Issued ca = TestPki.ca("gRPC Health CA");
        TestPki.leaf(ca, "api.example.test")
                .writeCertificateAndKey(dir.resolve("server.pem"), dir.resolve("server.key"));
        health.setStatus("", ServingStatus.SERVING);
        Server server = start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                TlsServerCredentials.create(dir.resolve("server.pem").toFile(), dir.resolve("server.key").toFile())),
                true);
        add(server.getPort(), fast(HealthCheck.grpcs()).hostHeader("api.example.test")
                .trustCertificates(ca.writeCertificate(dir.resolve("ca.pem"))).build());
        Eventually.until("UP", () -> sink.lastIs("api", "g1", Health.UP, "SERVING"));

        TestPki.Issued other = TestPki.ca("Someone Else");
        checker.add(HealthTarget.of("grpc", "other", "g1", Address.of("127.0.0.1", server.getPort()),
                fast(HealthCheck.grpcs()).hostHeader("api.example.test").initialState(Health.UP)
                        .trustCertificates(other.writeCertificate(dir.resolve("other.pem"))).build()));
        Eventually.until("DOWN", () -> sink.lastIs("other", "g1", Health.DOWN, "tls: "));
    }

    @Test
    void grpc_againstAnHttp11Server_isDown() throws Exception {
        MockWebServer http11 = new MockWebServer();
        for (int i = 0; i < 20; i++) {
            http11.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
        http11.start();
        closers.add(http11);
        add(http11.getPort(), fast(HealthCheck.grpc()).initialState(Health.UP).build());

        Eventually.until("DOWN", () -> sink.last("api", "g1").map(r -> r.health() == Health.DOWN).orElse(false));
        assertThat(sink.last("api", "g1").orElseThrow().reason()).isNotEqualTo("SERVING");
    }

    @Test
    void grpc_serverThatNeverAnswers_isDownOnTimeout_andAClosedPortIsRefused() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        closers.add(silent);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (accepted.size() < 50) {
                    accepted.add(silent.accept()); // held open, never answered
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        add(silent.getLocalPort(), HealthCheck.grpc().interval(Duration.ofMillis(200))
                .timeout(Duration.ofMillis(300)).initialState(Health.UP).fall(1).build());
        Eventually.until("DOWN on timeout", () -> sink.lastIs("api", "g1", Health.DOWN, "timeout"));

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        checker.add(HealthTarget.of("grpc", "other", "g1", Address.of("127.0.0.1", closedPort),
                fast(HealthCheck.grpc()).initialState(Health.UP).build()));
        Eventually.until("refused", () -> sink.lastIs("other", "g1", Health.DOWN, "connection refused"));
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
