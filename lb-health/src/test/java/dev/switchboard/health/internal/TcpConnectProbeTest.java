package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connect-only probes on the {@link HealthLoop} against real listening sockets. */
class TcpConnectProbeTest {

    private static final HealthCheck TCP = HealthCheck.tcp().timeout(Duration.ofSeconds(2)).build();

    private final LoopedProbe looped = new LoopedProbe();

    @AfterEach
    void tearDown() throws InterruptedException {
        looped.close();
    }

    private ProbeOutcome run(int port) throws Exception {
        return looped.run(Address.of("127.0.0.1", port), TCP);
    }

    private static boolean quickAckSupported() throws Exception {
        try (SocketChannel c = SocketChannel.open()) {
            return c.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        }
    }

    @Test
    void upWhenTheServerAnswersTheHandshake_andItsApplicationNeverHasToAcceptTheProbe() throws Exception {
        assumeTrue(quickAckSupported(), "TCP_QUICKACK (Linux)");
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.configureBlocking(false);
            int port = server.socket().getLocalPort();
            for (int i = 0; i < 20; i++) {
                ProbeOutcome outcome = run(port);
                assertThat(outcome.success()).as(outcome.reason()).isTrue();
                assertThat(outcome.reason()).isEqualTo("connected");
            }
            // the last ACK was held back and a reset sent instead: nothing ever reached the accept queue. Proven by a
            // sentinel: the queue is first in, first out, and a probe's connection would have entered it before this
            // one, whose handshake completes only after every probe above has ended
            try (Socket sentinel = new Socket(InetAddress.getLoopbackAddress(), port)) {
                server.configureBlocking(true);
                server.socket().setSoTimeout(5_000);
                try (Socket first = server.socket().accept()) {
                    assertThat(first.getPort()).as("the first connection accepted is the sentinel")
                            .isEqualTo(sentinel.getLocalPort());
                }
                server.configureBlocking(false);
                assertThat(server.accept()).as("nothing after it").isNull();
            }
        }
    }

    @Test
    void downWithConnectionRefusedWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeOutcome outcome = run(port);
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.reason()).isEqualTo("connection refused");
    }

    @Test
    void anHttpCheckStillCompletesItsHandshake_theServerAcceptsAndReadsTheRequest() throws Exception {
        HealthCheck http = HealthCheck.http().path("/h").timeout(Duration.ofSeconds(2)).reuseConnection(false)
                .build();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> firstLine = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    firstLine.complete(in.readLine());
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    firstLine.completeExceptionally(e);
                }
            });
            t.start();
            CompletableFuture<ProbeOutcome> f = new CompletableFuture<>();
            looped.probe.probe(Address.of("127.0.0.1", server.getLocalPort()), http, f::complete);
            assertThat(firstLine.get(5, TimeUnit.SECONDS)).isEqualTo("GET /h HTTP/1.1");
            assertThat(f.get(5, TimeUnit.SECONDS).success()).isTrue();
            t.join(2_000);
        }
    }
}
