package dev.switchboard.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/** Connects an engine to a {@link TestServer}, handshakes, sends {@code ping}, reads the answer. Test code. */
final class TestClient {

    /** What the client saw: the server's leaf certificate as it came over the wire, the session, the answer. */
    record Seen(X509Certificate serverCertificate, String sessionId, long creationTime, String protocol,
            String applicationProtocol, String reply, byte[] wire) {
    }

    private TestClient() {
    }

    static Seen exchange(SSLEngine engine, int port) throws IOException {
        try (EngineChannel channel = new EngineChannel(new Socket(InetAddress.getLoopbackAddress(), port), engine)) {
            channel.handshake();
            channel.send(EngineChannel.bytes("ping"));
            String reply = EngineChannel.text(channel.receive());
            SSLSession session = engine.getSession();
            return new Seen((X509Certificate) session.getPeerCertificates()[0], TlsSessions.sessionId(engine),
                    session.getCreationTime(), session.getProtocol(), String.valueOf(engine.getApplicationProtocol()),
                    reply, channel.received());
        }
    }
}
