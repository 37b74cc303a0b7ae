package dev.switchboard.tls;

import org.junit.jupiter.api.Test;

class DebugScratchTest {
    @Test
    void debug() throws Exception {
        TestPki.Issued ca = TestPki.ca("Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "mail.example.com");
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(leaf.tls()).provider(TlsProvider.CONSCRYPT).build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            try {
                TestClient.exchange(TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(TlsProvider.JDK).build()).newEngine("mail.example.com", server.port()), server.port());
            } catch (Exception e) { System.out.println("CLIENT: " + e); }
            TestServer.Seen s = server.next();
            if (s.failure() != null) s.failure().printStackTrace(System.out);
        }
    }
}
