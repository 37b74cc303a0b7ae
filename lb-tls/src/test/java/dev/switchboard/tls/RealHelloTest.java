package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The parser on ClientHellos exactly as the two providers write them (first flight of a client engine). */
class RealHelloTest {

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void clientHello_writtenByAProvider_sniAlpnVersionsAndSessionIdRead(TlsProvider p) throws Exception {
        UpstreamTls upstream = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(p)
                .applicationProtocols("h2", "http/1.1").build());
        SSLEngine engine = upstream.newEngine("Mail.Example.com", 443);
        ByteBuffer out = ByteBuffer.allocateDirect(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();

        HelloResult result = TlsHellos.parseClientHello(out);

        assertThat(result).isInstanceOf(HelloResult.ClientHello.class);
        HelloResult.ClientHello hello = (HelloResult.ClientHello) result;
        assertThat(hello.serverName()).isEqualTo("mail.example.com");
        assertThat(hello.applicationProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).contains(0x0304, 0x0303);
        assertThat(hello.highestVersion()).isEqualTo(0x0304);
        assertThat(hello.sessionId()).matches("([0-9a-f]{64})?");
        assertThat(hello.length()).isEqualTo(out.remaining());
    }
}
