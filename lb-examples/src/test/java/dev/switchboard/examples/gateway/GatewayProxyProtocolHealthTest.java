package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.netty.settings.ListenerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The whole gateway in front of a real server that requires a PROXY protocol header on every connection (as nginx's
 * {@code listen ... proxy_protocol}): with {@code proxyProtocol} on the sub-service, the health checks send the
 * header too, so the server comes up and takes traffic instead of staying down.
 */
class GatewayProxyProtocolHealthTest {

    private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static GatewayConfig config(int serverPort, ProxyProtocol version) {
        VirtualService web = VirtualService.builder("web").listen("127.0.0.1:0").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().proxyProtocol(version)
                        .realServer(RealServer.of("s1", "127.0.0.1:" + serverPort))
                        .healthCheck(HealthCheck.http().path("/health").interval(Duration.ofMillis(100))
                                .timeout(Duration.ofSeconds(1)).rise(1).fall(1).build())
                        .build())
                .build();
        return new GatewayConfig(AdminSettings.of(Address.parse("127.0.0.1:0"), ""),
                LoadBalancer.builder().virtualService(web).build(),
                List.of(ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                        .accessLog(false).build()));
    }

    @Test
    void serverThatRequiresTheHeader_upThroughItsProbes_andServesTraffic_v1AndV2() throws Exception {
        for (ProxyProtocol version : List.of(ProxyProtocol.V1, ProxyProtocol.V2)) {
            try (RequiresProxyHeader server = new RequiresProxyHeader()) {
                Gateway gateway = Gateway.start(config(server.port(), version));
                try {
                    Eventually.until(version + ": probed up", Duration.ofSeconds(10), () -> gateway
                            .findLastProbe("web", "pool", "s1").filter(p -> p.success()).isPresent());
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://"
                            + Gateway.hostPort(gateway.address("web")) + "/app")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(version.name()).isEqualTo(200);
                    assertThat(server.refused).as(version + ": nothing came without a header").isEmpty();
                    assertThat(server.requests).contains("GET /health", "GET /app");
                } finally {
                    gateway.stop(Duration.ZERO).join();
                }
            }
        }
    }

    @Test
    void withoutProxyProtocol_theSameServerStaysDown_andTrafficGets503() throws Exception {
        try (RequiresProxyHeader server = new RequiresProxyHeader()) {
            Gateway gateway = Gateway.start(config(server.port(), ProxyProtocol.NONE));
            try {
                Eventually.until("probed and refused", Duration.ofSeconds(10), () -> gateway
                        .findLastProbe("web", "pool", "s1").filter(p -> !p.success()).isPresent());
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://"
                        + Gateway.hostPort(gateway.address("web")) + "/app")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(server.refused).isNotEmpty();
            } finally {
                gateway.stop(Duration.ZERO).join();
            }
        }
    }

    /** Closes every connection that does not open with a v1 line or a v2 block; then answers requests 200. */
    private static final class RequiresProxyHeader implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Integer> refused = new CopyOnWriteArrayList<>();

        RequiresProxyHeader() throws IOException {
            Thread t = new Thread(this::accept, "test-requires-proxy-header");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> serve(s), "test-requires-proxy-header-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                if (!header(in)) {
                    refused.add(s.getPort());
                    return;
                }
                for (String head = head(in); head != null; head = head(in)) {
                    requests.add(head.substring(0, head.indexOf(" HTTP/")));
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException | RuntimeException e) {
                // the peer went away
            }
        }

        private static boolean header(InputStream in) throws IOException {
            byte[] start = in.readNBytes(12);
            if (Arrays.equals(start, V2_SIGNATURE)) {
                byte[] fixed = in.readNBytes(4);
                if (fixed.length != 4 || (fixed[0] & 0xf0) != 0x20) {
                    return false;
                }
                int length = ((fixed[2] & 0xff) << 8) | (fixed[3] & 0xff);
                return in.readNBytes(length).length == length;
            }
            String line = new String(start, StandardCharsets.US_ASCII);
            if (!line.startsWith("PROXY TCP4 ")) {
                return false;
            }
            for (int c = in.read(), n = 12; c >= 0 && n < 107; c = in.read(), n++) {
                if (c == '\n') {
                    return true;
                }
            }
            return false;
        }

        /** The request line of the next head, or null at the end of the stream. */
        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int c = in.read(); c >= 0; c = in.read()) {
                b.write(c);
                matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
                if (matched == 4) {
                    String text = b.toString(StandardCharsets.ISO_8859_1);
                    return text.substring(0, text.indexOf('\r'));
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
