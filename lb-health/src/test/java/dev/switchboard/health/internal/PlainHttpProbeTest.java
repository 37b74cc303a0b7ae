package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain-HTTP probes on the {@link TcpProbe} on its {@link HealthLoop} against scripted raw-socket servers. */
class PlainHttpProbeTest {

    private final LoopedProbe looped = new LoopedProbe();

    @AfterEach
    void tearDown() throws InterruptedException {
        looped.close();
    }

    /** Reads the request head (and a declared body), then writes each part with a pause between, then closes. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket server;
        final AtomicReference<String> request = new AtomicReference<>();

        Scripted(List<byte[]> parts) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.setTcpNoDelay(true);
                        request.set(readRequest(s.getInputStream()));
                        OutputStream out = s.getOutputStream();
                        for (byte[] part : parts) {
                            out.write(part);
                            out.flush();
                            Thread.sleep(15);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the probe may reset the connection once it has what it needs
                    }
                }
            }, "scripted-http");
            t.setDaemon(true);
            t.start();
        }

        static Scripted of(String... parts) throws IOException {
            return new Scripted(java.util.Arrays.stream(parts)
                    .map(p -> p.getBytes(StandardCharsets.ISO_8859_1)).toList());
        }

        Address address() {
            return Address.of("127.0.0.1", server.getLocalPort());
        }

        private static String readRequest(InputStream in) throws IOException {
            String text = KeepAliveServer.readHead(in);
            if (text == null) {
                return "";
            }
            int cl = text.toLowerCase().indexOf("content-length: ");
            if (cl >= 0) {
                int n = Integer.parseInt(text.substring(cl + 16, text.indexOf('\r', cl)).trim());
                text += new String(in.readNBytes(n), StandardCharsets.UTF_8);
            }
            return text;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private ProbeOutcome run(Address address, HealthCheck check) throws Exception {
        return looped.run(address, check);
    }

    private static HealthCheck.Builder http() {
        return HealthCheck.http().timeout(Duration.ofSeconds(2));
    }

    @Test
    void request_hasMethodPathHostHeadersAuthBodyAndConnectionClose() throws Exception {
        try (Scripted s = Scripted.of("HTTP/1.1 204 No Content\r\n\r\n")) {
            HealthCheck check = http().reuseConnection(false).method(HealthCheck.Method.POST).path("/p?q=1").header("X-Probe", "yes")
                    .basicAuth("probe", "s3cret").requestBody("{}", "application/json").build();
            ProbeOutcome o = run(s.address(), check);
            assertThat(o.success()).isTrue();
            assertThat(o.reason()).isEqualTo("status 204");
            assertThat(o.status()).isEqualTo(204);
            assertThat(s.request.get()).isEqualTo("POST /p?q=1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + s.server.getLocalPort() + "\r\n"
                    + "X-Probe: yes\r\n"
                    + "User-Agent: switchboard-health\r\n"
                    + "Authorization: Basic cHJvYmU6czNjcmV0\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}");
        }
    }

    @Test
    void chunkedBody_isDecodedForThePattern() throws Exception {
        try (Scripted s = Scripted.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "6\r\nstate:\r\n", "4;ext=1\r\n ok!\r\n", "0\r\n\r\n")) {
            assertThat(run(s.address(), http().bodyPattern("state: ok").build()).reason()).isEqualTo("status 200");
            ProbeOutcome mismatch = run(s.address(), http().bodyPattern("state:\\r\\n").build());
            assertThat(mismatch.success()).isFalse();
            assertThat(mismatch.reason()).isEqualTo("body mismatch (status 200)");
            assertThat(mismatch.status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedBody_cutBeforeTheLastChunk_isAnIoError() throws Exception {
        try (Scripted s = Scripted.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nstate\r\n")) {
            ProbeOutcome o = run(s.address(), http().bodyPattern("nothing").build());
            assertThat(o.success()).isFalse();
            assertThat(o.reason()).isEqualTo("io error: connection closed in the chunked body");
        }
    }

    @Test
    void httpAgent_chunkedAnswer_isParsed() throws Exception {
        try (Scripted s = Scripted.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "3\r\nup \r\n", "4\r\n50%\n\r\n0\r\n\r\n")) {
            ProbeOutcome o = run(s.address(), HealthCheck.httpAgent().timeout(Duration.ofSeconds(2)).build());
            assertThat(o.success()).isTrue();
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.agentAnswer()).hasValueSatisfying(r -> assertThat(r.weightPercent()).hasValue(50));
        }
    }

    @Test
    void statusLineAndHeaders_splitOverSeveralReads() throws Exception {
        try (Scripted s = Scripted.of("HTT", "P/1.1 2", "00 OK\r\nContent-Le", "ngth: 9\r\n\r", "\nstat", "e: ok")) {
            ProbeOutcome o = run(s.address(), http().bodyPattern("state: ok$").build());
            assertThat(o.success()).as(o.reason()).isTrue();
            assertThat(o.reason()).isEqualTo("status 200");
            assertThat(run(s.address(), http().expectStatus(201).build()).reason())
                    .isEqualTo("status 200 (expected: [201])");
        }
    }

    @Test
    void bodyOver64KiB_onlyTheFirst64KiBAreMatched() throws Exception {
        String big = "a".repeat(70 * 1024) + "tail";
        for (String head : List.of("HTTP/1.1 200 OK\r\nContent-Length: " + (big.length() + 4) + "\r\n\r\n",
                "HTTP/1.0 200 OK\r\n\r\n")) { // by Content-Length, and until the server closes
            try (Scripted s = Scripted.of(head, "head" + big)) {
                assertThat(run(s.address(), http().bodyPattern("^head").build()).reason()).isEqualTo("status 200");
                assertThat(run(s.address(), http().bodyPattern("tail").build()).reason())
                        .isEqualTo("body mismatch (status 200)");
            }
        }
        String chunked = "10000\r\n" + "b".repeat(0x10000) + "\r\n4\r\ntail\r\n0\r\n\r\n";
        try (Scripted s = Scripted.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunked)) {
            assertThat(run(s.address(), http().bodyPattern("^b+$").build()).reason()).isEqualTo("status 200");
        }
    }

    @Test
    void nonHttpAnswers_areDownWithAReason_andTheLoopGoesOn() throws Exception {
        try (Scripted ssh = Scripted.of("SSH-2.0-OpenSSH_9.6\r\n");
             Scripted silent = Scripted.of();
             Scripted shortAnswer = Scripted.of("HTTP/1.1 20");
             Scripted badStatus = Scripted.of("HTTP/1.1 OK\r\n\r\n");
             Scripted ok = Scripted.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            assertThat(run(ssh.address(), http().build()).reason()).isEqualTo("not HTTP: 'SSH-2.0-OpenSSH_9.6'");
            assertThat(run(silent.address(), http().build()).reason())
                    .isEqualTo("connection closed before the status line");
            assertThat(run(shortAnswer.address(), http().build()).reason())
                    .isEqualTo("connection closed before the status line");
            assertThat(run(badStatus.address(), http().build()).reason()).isEqualTo("not HTTP: 'HTTP/1.1 OK'");
            ProbeOutcome o = run(ok.address(), http().build());
            assertThat(o.success()).isTrue();
            assertThat(o.latencyNanos()).isPositive();
        }
    }

    @Test
    void badHeads_areDownWithTheLineNamed() throws Exception {
        try (Scripted noColon = Scripted.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nnot a header\r\n\r\n");
             Scripted noName = Scripted.of("HTTP/1.1 200 OK\r\n: x\r\n\r\n");
             Scripted badLength = Scripted.of("HTTP/1.1 200 OK\r\ncontent-LENGTH: -3\r\n\r\n");
             Scripted notNumber = Scripted.of("HTTP/1.1 200 OK\r\nContent-Length: 12ab\r\n\r\n");
             Scripted interim = Scripted.of("HTTP/1.1 100 Continue\r\n\r\n");
             Scripted crInReason = Scripted.of("HTTP/1.1 200 O\rK\r\n\r\n");
             Scripted noSpace = Scripted.of("HTTP/1.1 200OK\r\n\r\n")) {
            assertThat(run(noColon.address(), http().build()).reason())
                    .isEqualTo("not HTTP: bad header line 'not a header'");
            assertThat(run(noName.address(), http().build()).reason()).isEqualTo("not HTTP: bad header line ': x'");
            assertThat(run(badLength.address(), http().build()).reason()).isEqualTo("not HTTP: bad Content-Length '-3'");
            assertThat(run(notNumber.address(), http().build()).reason())
                    .isEqualTo("not HTTP: bad Content-Length '12ab'");
            assertThat(run(interim.address(), http().build()).reason())
                    .isEqualTo("not HTTP: unexpected interim status 100");
            assertThat(run(crInReason.address(), http().build()).reason()).isEqualTo("not HTTP: 'HTTP/1.1 200 OK'");
            assertThat(run(noSpace.address(), http().build()).reason()).isEqualTo("not HTTP: 'HTTP/1.1 200OK'");
        }
    }

    @Test
    void lenientHeads_bareLineFeedsNoReasonAndAnyLetterCase_areParsed() throws Exception {
        HealthCheck pattern = http().bodyPattern("ready").build();
        try (Scripted bareLf = Scripted.of("HTTP/1.1 200 OK\ncOnTeNt-LeNgTh:   5  \n\nready");
             Scripted noReason = Scripted.of("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n");
             Scripted chunked = Scripted.of("HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\n"
                     + "5\r\nready\r\n0\r\n\r\n")) {
            ProbeOutcome lf = run(bareLf.address(), pattern);
            assertThat(lf.success()).as(lf.reason()).isTrue();
            ProbeOutcome o = run(noReason.address(), http().build());
            assertThat(o.status()).isEqualTo(503);
            assertThat(o.reason()).startsWith("status 503");
            ProbeOutcome c = run(chunked.address(), pattern);
            assertThat(c.success()).as(c.reason()).isTrue();
        }
    }

    @Test
    void head_readsNoBodyDespiteContentLength() throws Exception {
        try (Scripted s = Scripted.of("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")) {
            ProbeOutcome o = run(s.address(), http().method(HealthCheck.Method.HEAD).build());
            assertThat(s.request.get()).startsWith("HEAD / HTTP/1.1\r\n");
            assertThat(o.reason()).isEqualTo("status 200");
        }
    }
}
