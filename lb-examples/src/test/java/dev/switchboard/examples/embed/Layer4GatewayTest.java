package dev.switchboard.examples.embed;

import dev.switchboard.api.testing.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.netty.testing.TcpBackend;
import dev.switchboard.tls.testing.TestPki;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Layer4GatewayTest {

    private final List<TcpBackend> backends = new ArrayList<>();
    private DispatchEngine engine;
    private Layer4Gateway gateway;

    @AfterEach
    void tearDown() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
        for (TcpBackend b : backends) {
            b.close();
        }
    }

    private TcpBackend backend(TcpBackend b) {
        backends.add(b);
        return b;
    }

    private void start(Persistence persistence, RealServer... servers) throws IOException {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("imaps")
                .listen("127.0.0.1:993").protocol(Protocol.TCP).scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(persistence).subService(SubService.builder("pool").asDefault()
                        .realServers(List.of(servers)).queue(8, Duration.ofSeconds(10)).build())
                .build()).build());
        gateway = Layer4Gateway.start(engine, "imaps", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private SubServiceStats pool() {
        return engine.stats().findVirtualService("imaps").orElseThrow().subServices().get(0);
    }

    private RealServerStats server(String name) {
        return engine.stats().findRealServer("imaps", "pool", name).orElseThrow();
    }

    private void awaitAllReleased() {
        Eventually.until("every lease released", Duration.ofSeconds(10), () -> pool().realServers().stream().allMatch(s -> s.activeConnections() == 0));
    }


    @Test
    void plainTcp_twoBannerEchoServers_bytesRelayedBothWaysAndConnectionsSpreadRoundRobin() throws Exception {
        TcpBackend ex01 = backend(TcpBackend.banner("ex01"));
        TcpBackend ex02 = backend(TcpBackend.banner("ex02"));
        start(Persistence.NONE, RealServer.of("ex01", ex01.address()), RealServer.of("ex02", ex02.address()));
        byte[] data = new byte[300_000];
        new SplittableRandom(19).nextBytes(data);
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (Socket s = connect()) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(s));
                s.getOutputStream().write(data);
                s.shutdownOutput(); // the gateway passes the half-close on; the server's end comes back
                byte[] all = received.get();
                String banner = new String(all, 0, 5, StandardCharsets.US_ASCII);
                answeredBy.add(banner.trim());
                assertThat(Arrays.copyOfRange(all, 5, all.length)).as("echoed intact").isEqualTo(data);
            }
        }
        // round robin keeps a position per dispatching thread: each thread alternates, so both servers serve
        assertThat(answeredBy).containsOnly("ex01", "ex02").contains("ex01", "ex02");
        awaitAllReleased();
        for (TcpBackend b : List.of(ex01, ex02)) {
            long served = answeredBy.stream().filter(b.name()::equals).count();
            RealServerStats stats = server(b.name());
            assertThat(b.accepted()).isEqualTo(served);
            assertThat(stats.totalRequests()).isEqualTo(served);
            assertThat(stats.failures()).isZero();
            assertThat(stats.bytesIn()).isEqualTo(served * data.length);
            assertThat(stats.bytesOut()).isEqualTo(served * (data.length + 5));
        }
    }

    @Test
    void serverSpeaksFirst_silentClient_isDispatchedAfterTheSniffWaitAndRelayedBothWays() throws Exception {
        TcpBackend imap = backend(TcpBackend.banner("imap"));
        start(Persistence.NONE, RealServer.of("imap", imap.address()));
        try (Socket s = connect()) {
            BufferedReader in = reader(s.getInputStream());
            assertThat(in.readLine()).isEqualTo("imap");
            s.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("the read pending since the sniff carries on").isEqualTo("a1 NOOP");
        }
        awaitAllReleased();
        assertThat(server("imap").bytesIn()).isEqualTo(8);
    }

    @Test
    void tlsPassthrough_sslSessionIdPersistence_resumingClientGoesBackToTheServerThatIssuedTheSession()
            throws Exception {
        TestPki.Issued cert = TestPki.selfSigned("imap.example.test");
        // a context (so a session cache) per real server: only the server that issued a session can resume it
        TcpBackend ex01 = backend(TcpBackend.tls("ex01", TestPki.serverContext(cert)));
        TcpBackend ex02 = backend(TcpBackend.tls("ex02", TestPki.serverContext(cert)));
        start(Persistence.builder(PersistenceMode.SSL_SESSION_ID).timeout(Duration.ofMinutes(5)).build(),
                RealServer.of("ex01", ex01.address()), RealServer.of("ex02", ex02.address()));
        SSLContext client = TestPki.clientContext(cert, "TLSv1.2");

        String[] first = tlsExchange(client);
        assertThat(pool().persistenceEntries()).as("the session ID from the ServerHello, reported").isEqualTo(1);
        for (int i = 0; i < 4; i++) { // round robin alone would alternate, and the other server could not resume
            String[] again = tlsExchange(client);
            assertThat(again[1]).as("session resumed").isEqualTo(first[1]);
            assertThat(again[0]).as("same real server").isEqualTo(first[0]);
        }
        assertThat(pool().persistenceEntries()).isEqualTo(1);
        awaitAllReleased();
        assertThat(server(first[0]).totalRequests()).isEqualTo(5);
        String[] fresh = tlsExchange(TestPki.clientContext(cert, "TLSv1.2"));
        assertThat(fresh[1]).as("a new client gets a new session").isNotEqualTo(first[1]);
        assertThat(pool().persistenceEntries()).isEqualTo(2);
        awaitAllReleased();
    }

    /** One TLS 1.2 connection through the gateway: the real server's name and the session ID it reports. */
    private String[] tlsExchange(SSLContext context) throws IOException {
        try (Socket plain = connect();
             SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "imap.example.test",
                     plain.getPort(), true)) {
            String[] line = TcpBackend.tlsGreeting(s, "imap.example.test");
            s.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(reader(s.getInputStream()).readLine()).isEqualTo("a1 NOOP");
            return line;
        }
    }

    @Test
    void connectRefused_leaseReleasedAsFailure_andTheRetryServesTheClientFromTheOtherServer() throws Exception {
        TcpBackend ex02 = backend(TcpBackend.banner("ex02"));
        start(Persistence.NONE, RealServer.of("ex01", "127.0.0.1:" + closedPort()),
                RealServer.of("ex02", ex02.address()));
        for (int i = 0; i < 3; i++) {
            try (Socket s = connect()) {
                s.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = reader(s.getInputStream());
                assertThat(in.readLine()).isEqualTo("ex02");
                assertThat(in.readLine()).isEqualTo("a1 NOOP");
            }
        }
        awaitAllReleased();
        RealServerStats refused = server("ex01");
        assertThat(refused.totalRequests()).as("round robin picked it").isPositive();
        assertThat(refused.failures()).as("released as a connect failure").isPositive()
                .isLessThanOrEqualTo(refused.totalRequests());
        assertThat(server("ex02").totalRequests()).isEqualTo(3);
        assertThat(server("ex02").failures()).isZero();
    }

    @Test
    void connectRefused_byEveryServer_clientClosedAfterTheRetriesAndEveryLeaseReleased() throws Exception {
        start(Persistence.NONE, RealServer.of("ex01", "127.0.0.1:" + closedPort()),
                RealServer.of("ex02", "127.0.0.1:" + closedPort()));
        try (Socket s = connect()) {
            s.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("closed").isEqualTo(-1);
        }
        awaitAllReleased();
        long picks = server("ex01").totalRequests() + server("ex02").totalRequests();
        assertThat(picks).as("the first dispatch and its retries").isEqualTo(1 + Layer4Gateway.MAX_RETRIES);
        assertThat(server("ex01").failures()).as("each refused once; a repeat pick is not tried").isEqualTo(1);
        assertThat(server("ex02").failures()).isEqualTo(1);
    }

    @Test
    void queued_serverAtItsLimit_secondClientWaitsWithoutAThreadAndIsServedWhenTheSlotFrees() throws Exception {
        TcpBackend ex01 = backend(TcpBackend.banner("ex01"));
        start(Persistence.NONE, RealServer.builder("ex01", ex01.address()).maxConnections(1).build());
        Socket second;
        try (Socket first = connect()) {
            assertThat(reader(first.getInputStream()).readLine()).isEqualTo("ex01");
            second = connect();
            second.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
            Eventually.until("the second client queued", Duration.ofSeconds(10), () -> pool().waiting() == 1);
            assertThat(ex01.accepted()).isEqualTo(1);
        } // the first client leaves: its lease is released and the queued one gets the slot
        try (second) {
            BufferedReader in = reader(second.getInputStream());
            assertThat(in.readLine()).isEqualTo("ex01");
            assertThat(in.readLine()).isEqualTo("a1 NOOP");
        }
        awaitAllReleased();
        assertThat(server("ex01").totalRequests()).isEqualTo(2);
        assertThat(pool().queuedTotal()).isEqualTo(1);
    }

    @Test
    void refused_noEligibleServer_clientIsClosedWithoutAForward() throws Exception {
        TcpBackend ex01 = backend(TcpBackend.banner("ex01"));
        start(Persistence.NONE, RealServer.builder("ex01", ex01.address()).initialState(AdminState.DISABLED).build());
        try (Socket s = connect()) {
            s.getOutputStream().write("a1 NOOP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("closed").isEqualTo(-1);
        }
        assertThat(pool().rejected()).isEqualTo(1);
        assertThat(ex01.accepted()).isZero();
    }

    @Test
    void close_withAConnectionRelaying_cutsItAndReleasesItsLease() throws Exception {
        TcpBackend ex01 = backend(TcpBackend.banner("ex01"));
        start(Persistence.NONE, RealServer.of("ex01", ex01.address()));
        try (Socket s = connect()) {
            assertThat(reader(s.getInputStream()).readLine()).isEqualTo("ex01");
            assertThat(server("ex01").activeConnections()).isEqualTo(1);
            gateway.close();
            assertThat(s.getInputStream().read()).as("cut").isEqualTo(-1);
        }
        assertThat(server("ex01").activeConnections()).isZero();
        gateway = null;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // nothing listens there once closed: a connect is refused
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    }

    private static byte[] readAll(Socket s) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
