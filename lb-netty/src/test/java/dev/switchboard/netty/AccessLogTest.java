package dev.switchboard.netty;

import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.switchboard.netty.settings.ListenerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access log's fields as written through slf4j, and the client it names (behind trusted proxies too). */
class AccessLogTest {

    private static final Pattern LINE = Pattern.compile("(\\S+) (\\S+) (\\S+) (\\S+) client=(\\S+) \"(\\S+) (\\S+)\""
            + " (\\d{3}) (\\d+\\.\\d)ms in=(\\d+) out=(\\d+)( \\S+)?");

    private Backend backend;
    private AccessLogCapture log;

    @BeforeEach
    void start() {
        backend = Backend.echo("ex01");
        log = new AccessLogCapture();
    }

    @AfterEach
    void stop() {
        log.close();
        backend.close();
    }

    private ProxyFixture gateway(String name, UnaryOperator<ListenerSettings.Builder> settings) {
        return ProxyFixture.start(VirtualService.builder(name).listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build()), settings);
    }

    private static Matcher fields(String line) {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as("an access-log line: " + line).isTrue();
        return m;
    }

    @Test
    void forwardedRequest_logsEveryField() {
        try (ProxyFixture g = gateway("logmail", b -> b); RawClient c = RawClient.connect(g.port())) {
            String response = c.send("POST /owa/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
                    .readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            Matcher m = fields(log.next("logmail owa "));
            assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
                    m.group(8), m.group(10), m.group(11))).containsExactly("logmail", "owa", "ex01",
                    backend.address(), "127.0.0.1", "POST", "/owa/x?y=1", "200", "5",
                    Integer.toString("ex01 /owa/x?y=1".length()));
            assertThat(Double.parseDouble(m.group(9))).isBetween(0.0, 5000.0);
            assertThat(m.group(12)).as("no failure").isNull();
        }
    }

    @Test
    void forgedFirstForwardedLine_behindATrustedProxy_doesNotChangeTheLoggedClient() {
        try (ProxyFixture g = gateway("logtrust", b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1/32"))));
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET /owa/ HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\n"
                    + "X-Forwarded-For: 203.0.113.9\r\n\r\n").readResponse(); // the front proxy appended its line
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(fields(log.next("logtrust owa ")).group(5)).isEqualTo("203.0.113.9");
        }
    }

    @Test
    void forwardedHeader_fromAnUntrustedPeer_isIgnored_thePeerIsLogged() {
        try (ProxyFixture g = gateway("loguntrusted", b -> b); RawClient c = RawClient.connect(g.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n").readResponse();
            assertThat(fields(log.next("loguntrusted owa ")).group(5)).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void unreadableForwardedHop_behindATrustedProxy_logsADash() {
        try (ProxyFixture g = gateway("logdash", b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1/32"))));
                RawClient c = RawClient.connect(g.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: unknown\r\n\r\n").readResponse();
            assertThat(fields(log.next("logdash owa ")).group(5)).isEqualTo("-");
        }
    }

    @Test
    void clientCountedPerRequest_behindATrustedProxy_isTheClientLogged_requestByRequest() {
        try (ProxyFixture g = gateway("logcounted", b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1/32")))
                .limits(Limits.DEFAULTS.withConnectionLimits(0, 4))); RawClient c = RawClient.connect(g.port())) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\n"
                    + "X-Forwarded-For: 203.0.113.9\r\n\r\n").readResponse();
            assertThat(fields(log.next("logcounted owa ")).group(5)).isEqualTo("203.0.113.9");
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: unknown\r\n\r\n").readResponse();
            assertThat(fields(log.next("logcounted owa ")).group(5)).as("the headers cannot say").isEqualTo("-");
            c.send("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(fields(log.next("logcounted owa ")).group(5)).as("no forwarded header: the proxy itself")
                    .isEqualTo("127.0.0.1");
        }
    }

    @Test
    void localAnswer_logsDashesForTheServer() {
        try (ProxyFixture g = gateway("loglocal", b -> b); RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET /a/%2F../b HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(400);
            Matcher m = fields(log.next("loglocal - "));
            assertThat(List.of(m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8),
                    m.group(10), m.group(11))).containsExactly("-", "-", "-", "127.0.0.1", "GET", "/a/%2F../b",
                    "400", "0", "0");
        }
    }

    @Test
    void failedExchange_appendsTheFailureKind() {
        try (RawBackend liar = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nBad Header Line\r\n\r\n");
        }); ProxyFixture g = ProxyFixture.start(VirtualService.builder("logfail").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.of("ex01", liar.address())).build()));
                RawClient c = RawClient.connect(g.port())) {
            assertThat(RawClient.status(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse())).isEqualTo(502);
            Matcher m = fields(log.next("logfail owa "));
            assertThat(m.group(8)).isEqualTo("502");
            assertThat(m.group(12)).isEqualTo(" PROTOCOL");
        }
    }

    @Test
    void slowHead_logs408WithoutARequest() {
        try (ProxyFixture g = gateway("loghead", b -> b.timeouts(new Timeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMillis(300), 500, Duration.ofSeconds(20)))); RawClient c = RawClient.connect(g.port())) {
            assertThat(RawClient.status(c.send("GET / HT").readResponse())).isEqualTo(408);
            assertThat(log.next("loghead - ")).matches("loghead - - - client=127\\.0\\.0\\.1 \"- -\" 408 "
                    + "\\d+\\.\\dms in=0 out=0");
        }
    }
}
