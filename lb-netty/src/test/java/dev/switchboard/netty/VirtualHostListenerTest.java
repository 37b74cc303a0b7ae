package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.VirtualServiceStats;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.testing.TcpBackend;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VirtualHostListenerTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued owaCert;
    private static TestPki.Issued anyCert;
    private static TestPki.Issued defaultCert;

    private final List<AutoCloseable> open = new ArrayList<>();
    private NettyTransport transport;
    private DispatchEngine engine;
    private VirtualHostListener listener;

    @BeforeAll
    static void certificates() {
        ca = TestPki.ca("Virtual Host CA");
        owaCert = TestPki.leaf(ca, "owa.example.test");
        anyCert = TestPki.leaf(ca, "any.example.test");
        defaultCert = TestPki.leaf(ca, "default.test");
    }

    @AfterEach
    void close() throws Exception {
        if (listener != null) {
            listener.close(Duration.ZERO).join();
        }
        if (engine != null) {
            engine.close();
        }
        if (transport != null) {
            transport.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A virtual service on 127.0.0.1:0 whose one real server is {@code server}. */
    private static VirtualService vs(String name, Protocol protocol, String server, String... hostNames) {
        return VirtualService.builder(name).listen("127.0.0.1:0").protocol(protocol).hostNames(hostNames)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s", server)).build())
                .build();
    }

    private static ListenerSettings settings(VirtualService vs, TestPki.Issued cert) {
        ListenerSettings.Builder b = ListenerSettings.builder(vs.name(), Address.parse("127.0.0.1:0"),
                vs.protocol());
        if (cert != null) {
            b.tls(ServerTlsConfig.builder(SniCertificates.builder(cert.tls()).build()).build());
        }
        return b.build();
    }

    /** Binds one listener for {@code services}; each https one gets the certificate at the same index. */
    private int start(List<VirtualService> services, List<TestPki.Issued> certs) {
        LoadBalancer.Builder model = LoadBalancer.builder();
        services.forEach(model::virtualService);
        engine = DispatchEngine.create(model.build());
        transport = NettyTransport.create(2, true);
        List<ListenerSettings> settings = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            settings.add(settings(services.get(i), certs.isEmpty() ? null : certs.get(i)));
        }
        listener = VirtualHostListener.bind(transport, engine, settings);
        return listener.localAddress().getPort();
    }

    private Backend backend(String name) throws IOException {
        Backend b = Backend.echo(name);
        open.add(b);
        return b;
    }

    private static RawClient tls(int port, String sni) throws IOException {
        SSLContext context = TestPki.clientContext(ca, "TLS"); // fresh: no session resumed across tests
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        if (!sni.isEmpty()) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(p);
        }
        socket.startHandshake();
        return new RawClient(socket);
    }

    private static String certificateName(RawClient c) throws IOException {
        X509Certificate peer = (X509Certificate) ((SSLSocket) c.socket).getSession().getPeerCertificates()[0];
        return peer.getSubjectX500Principal().getName();
    }

    private static String get(RawClient c, String host, String path) {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").readResponse();
    }

    private long requests(String vs) {
        return engine.stats().virtualServices().stream().filter(v -> v.name().equals(vs))
                .mapToLong(VirtualServiceStats::totalRequests).sum();
    }

    private int startHttps() throws IOException {
        return start(List.of(vs("owa", Protocol.HTTPS, backend("owa").address(), "owa.example.test"),
                vs("any", Protocol.HTTPS, backend("any").address(), "*.example.test"),
                vs("fallback", Protocol.HTTPS, backend("fallback").address())),
                List.of(owaCert, anyCert, defaultCert));
    }

    @Test
    void https_threeVirtualServicesOnOnePort_sniChoosesCertificateAndServer() throws Exception {
        int port = startHttps();
        String[][] cases = {{"owa.example.test", "CN=owa.example.test", "owa"},
            {"OWA.Example.Test", "CN=owa.example.test", "owa"}, {"a.b.example.test", "CN=any.example.test", "any"},
            {"other.test", "CN=default.test", "fallback"}, {"", "CN=default.test", "fallback"}};
        for (String[] c : cases) {
            String host = c[0].isEmpty() ? "x.test" : c[0];
            try (RawClient client = tls(port, c[0])) {
                assertThat(certificateName(client)).as(c[0]).isEqualTo(c[1]);
                String response = get(client, host, "/p");
                assertThat(RawClient.status(response)).as(c[0]).isEqualTo(200);
                assertThat(response).as(c[0]).endsWith(c[2] + " /p");
            }
        }
        assertThat(List.of(requests("owa"), requests("any"), requests("fallback"))).containsExactly(2L, 1L, 2L);
    }

    @Test
    void https_hostNamingAnotherVirtualServiceThanSni_is421() throws Exception {
        int port = startHttps();
        try (RawClient client = tls(port, "owa.example.test")) {
            assertThat(RawClient.status(get(client, "owa.example.test:443", "/a"))).isEqualTo(200);
            assertThat(RawClient.status(get(client, "x.example.test", "/b"))).isEqualTo(421);
        }
        try (RawClient client = tls(port, "other.test")) { // the default, fronting for owa
            assertThat(RawClient.status(get(client, "owa.example.test", "/c"))).isEqualTo(421);
        }
        assertThat(requests("owa")).isEqualTo(1);
        assertThat(requests("any")).isZero();
        assertThat(requests("fallback")).isZero();
    }

    @Test
    void https_unknownSniWithoutDefault_isRefusedWithUnrecognizedName() throws Exception {
        int port = start(List.of(vs("owa", Protocol.HTTPS, backend("owa").address(), "owa.example.test"),
                vs("any", Protocol.HTTPS, backend("any").address(), "*.example.test")), List.of(owaCert, anyCert));

        assertThatThrownBy(() -> tls(port, "other.test")).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("unrecognized_name");
        try (RawClient ok = tls(port, "www.example.test")) {
            assertThat(certificateName(ok)).isEqualTo("CN=any.example.test");
        }
    }

    @Test
    void https_plainTextOnTheSharedPort_isClosed() throws Exception {
        int port = startHttps();
        try (RawClient c = RawClient.connect(port)) {
            c.send("GET / HTTP/1.1\r\nHost: owa.example.test\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(requests("owa") + requests("any") + requests("fallback")).isZero();
    }

    @Test
    void https_noClientHelloWithinTheRequestHeadTimeout_isClosed() throws Exception {
        VirtualService owa = vs("owa", Protocol.HTTPS, backend("owa").address(), "owa.example.test");
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(owa).build());
        transport = NettyTransport.create(1, true);
        Timeouts d = Timeouts.DEFAULTS;
        Timeouts quick = new Timeouts(d.connect(), d.firstByte(), d.clientIdle(), d.serverIdle(), d.shutdown(),
                Duration.ofMillis(300), d.requestBodyMinRate(), d.requestBodyWindow());
        ListenerSettings s = ListenerSettings.builder("owa", Address.parse("127.0.0.1:0"), Protocol.HTTPS)
                .tls(ServerTlsConfig.builder(SniCertificates.builder(owaCert.tls()).build()).build())
                .timeouts(quick).build();
        listener = VirtualHostListener.bind(transport, engine, List.of(s));
        try (RawClient c = RawClient.connect(listener.localAddress().getPort())) {
            c.send(new byte[] {0x16, 0x03, 0x01}); // a record header, and nothing more
            long start = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void http_hostChoosesTheVirtualServicePerRequest_onOneKeepAliveConnection() throws Exception {
        int port = start(List.of(vs("owa", Protocol.HTTP, backend("owa").address(), "owa.example.test"),
                vs("any", Protocol.HTTP, backend("any").address(), "*.example.test"),
                vs("fallback", Protocol.HTTP, backend("fallback").address())), List.of());
        try (RawClient c = RawClient.connect(port)) {
            assertThat(get(c, "owa.example.test", "/1")).endsWith("owa /1");
            assertThat(get(c, "deep.x.EXAMPLE.test:80", "/2")).endsWith("any /2");
            assertThat(get(c, "example.test", "/3")).endsWith("fallback /3");
            assertThat(get(c, "owa.example.test.", "/4")).endsWith("owa /4");
        }
        assertThat(List.of(requests("owa"), requests("any"), requests("fallback"))).containsExactly(2L, 1L, 1L);
    }

    @Test
    void http_noMatchAndNoDefault_is421_andTheConnectionGoesOn() throws Exception {
        int port = start(List.of(vs("owa", Protocol.HTTP, backend("owa").address(), "owa.example.test"),
                vs("any", Protocol.HTTP, backend("any").address(), "*.example.test")), List.of());
        try (RawClient c = RawClient.connect(port)) {
            String misdirected = get(c, "other.test", "/x");
            assertThat(RawClient.status(misdirected)).isEqualTo(421);
            assertThat(misdirected).endsWith("Misdirected Request\n");
            assertThat(get(c, "owa.example.test", "/y")).endsWith("owa /y");
        }
        try (RawClient c = RawClient.connect(port)) { // HTTP/1.0 without Host: no default to go to
            c.send("GET / HTTP/1.0\r\n\r\n");
            assertThat(RawClient.status(c.readResponse())).isEqualTo(421);
        }
    }

    @Test
    void tcp_passthroughChoosesTheRealServerBySni() throws Exception {
        List<TcpBackend> backends = new ArrayList<>();
        for (TestPki.Issued cert : List.of(owaCert, anyCert, defaultCert)) {
            TcpBackend b = TcpBackend.tls(cert == owaCert ? "owa" : cert == anyCert ? "any" : "fallback",
                    TestPki.serverContext(cert));
            open.add(b);
            backends.add(b);
        }
        int port = start(List.of(vs("owa", Protocol.TCP, backends.get(0).address(), "owa.example.test"),
                vs("any", Protocol.TCP, backends.get(1).address(), "*.example.test"),
                vs("fallback", Protocol.TCP, backends.get(2).address())), List.of());
        String[][] cases = {{"owa.example.test", "owa"}, {"x.example.test", "any"}, {"other.test", "fallback"}};
        for (String[] c : cases) {
            SSLContext context = TestPki.clientContext(ca, "TLSv1.2");
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(5_000);
                assertThat(TcpBackend.tlsGreeting(s, c[0])[0]).as(c[0]).isEqualTo(c[1]);
            }
        }
        assertThat(backends).extracting(TcpBackend::accepted).containsExactly(1, 1, 1);
    }

    @Test
    void tcp_unknownSniWithoutDefault_isClosed() throws Exception {
        TcpBackend owa = TcpBackend.tls("owa", TestPki.serverContext(owaCert));
        open.add(owa);
        int port = start(List.of(vs("owa", Protocol.TCP, owa.address(), "owa.example.test")), List.of());
        SSLContext context = TestPki.clientContext(ca, "TLSv1.2");
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            assertThatThrownBy(() -> TcpBackend.tlsGreeting(s, "other.test")).isInstanceOf(IOException.class);
        }
        assertThat(owa.accepted()).isZero();
    }

    @Test
    void bind_httpAndHttpsOnOneAddress_isRefused() throws Exception {
        VirtualService a = vs("a", Protocol.HTTP, "127.0.0.1:1", "a.test");
        VirtualService b = vs("b", Protocol.HTTPS, "127.0.0.1:1");
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(a).virtualService(b).build());
        transport = NettyTransport.create(1, true);

        assertThatThrownBy(() -> VirtualHostListener.bind(transport, engine, List.of(settings(a, null),
                settings(b, owaCert)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b: https://127.0.0.1:0 (expected: http://127.0.0.1:0 as a;");
    }
}
