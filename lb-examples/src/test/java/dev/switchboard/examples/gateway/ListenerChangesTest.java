package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which settings of a kept listener need a new bind, and which apply in place. */
class ListenerChangesTest {

    /** One virtual service; {@code %1$s} is its protocol, {@code %2$s} adds keys to it. */
    private static final String ONE_SERVICE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8443", "protocol": "%1$s" %2$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;
    private static final String TLS = ", \"tls\": {\"certificate\": \"web.pem\", \"privateKey\": \"web.key\" %s}";

    @TempDir
    Path dir;

    private ListenerSettings settings(String protocol, String keys) {
        return GatewayConfigReader.parse(ONE_SERVICE.formatted(protocol, keys), dir).listeners().get(0);
    }

    private void certificate() {
        TestPki.selfSigned("web.example.test").writeCertificateAndKey(dir.resolve("web.pem"), dir.resolve("web.key"));
    }

    @Test
    void fixedAtBind_perRequestSettingsAndNewCertificates_empty() {
        certificate();
        ListenerSettings old = settings("https", TLS.formatted(""));
        certificate();
        ListenerSettings next = settings("https", TLS.formatted("") + ", \"forwardedHeaders\": false,"
                + " \"expectContinue\": \"ignore\", \"accessLog\": false, \"trustedProxies\": [\"10.0.0.0/8\"],"
                + " \"timeouts\": {\"clientIdle\": \"2m\", \"firstByte\": \"90s\"},"
                + " \"limits\": {\"maxHeaderSize\": 8192, \"maxRetries\": 0}");

        assertThat(next.findTls().orElseThrow().certificates().defaultCertificate().leaf())
                .isNotEqualTo(old.findTls().orElseThrow().certificates().defaultCertificate().leaf());
        assertThat(ListenerChanges.fixedAtBind(old, next)).isEmpty();
    }

    @Test
    void fixedAtBind_poolAndTlsParameters_named() {
        certificate();
        ListenerSettings old = settings("https", TLS.formatted(""));
        ListenerSettings next = settings("https", TLS.formatted(", \"protocols\": [\"TLSv1.3\"],"
                + " \"sessionTimeout\": \"1m\"") + ", \"timeouts\": {\"connect\": \"1s\", \"serverIdle\": \"5s\"},"
                + " \"limits\": {\"maxPooledPerServer\": 8}, \"upstreamTls\": {\"trust\": \"system\"}");

        assertThat(ListenerChanges.fixedAtBind(old, next)).containsExactly("timeouts.connect", "timeouts.serverIdle",
                "limits.maxPooledPerServer", "upstreamTls", "tls.protocols", "tls.sessionTimeout");
    }

    @Test
    void fixedAtBind_tcpTimeouts_named() {
        ListenerSettings old = settings("tcp", "");
        ListenerSettings next = settings("tcp", ", \"timeouts\": {\"clientIdle\": \"2m\"}");

        assertThat(ListenerChanges.fixedAtBind(old, next)).containsExactly("timeouts");
        assertThat(ListenerChanges.fixedAtBind(old, settings("tcp", ""))).isEmpty();
    }
}
