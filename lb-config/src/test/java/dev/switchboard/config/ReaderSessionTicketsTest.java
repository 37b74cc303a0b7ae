package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls.sessionTickets}: on by default (TLS 1.3 resumes only by ticket on Conscrypt), off by default when the
 * virtual service or one of its sub-services persists by TLS session ID; an explicit value always wins.
 */
class ReaderSessionTicketsTest {

    /** {@code %1$s}: more tls members; {@code %2$s}: the virtual service's persistence; {@code %3$s}: the pool's. */
    private static final String HTTPS_SERVICE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8443", "protocol": "https",
              "tls": {"certificate": "web.pem", "privateKey": "web.key" %1$s}, %2$s
              "subServices": [{"name": "pool", "default": true, %3$s
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void certificate() {
        TestPki.selfSigned("web.example.test").writeCertificateAndKey(dir.resolve("web.pem"), dir.resolve("web.key"));
    }

    private boolean tickets(String tls, String vsPersistence, String poolPersistence) {
        GatewayConfig config = GatewayConfigReader.parse(HTTPS_SERVICE.formatted(tls, vsPersistence,
                poolPersistence), dir);
        return config.listeners().get(0).findTls().orElseThrow().sessionTickets();
    }

    @Test
    void absent_withoutSessionIdPersistence_on() {
        assertThat(tickets("", "", "")).isTrue();
        assertThat(tickets("", "\"persistence\": {\"mode\": \"source-ip\"},", "")).isTrue();
    }

    @Test
    void absent_withSessionIdPersistence_offForTheVirtualServiceItsFallbackAndASubService() {
        assertThat(tickets("", "\"persistence\": {\"mode\": \"ssl-session-id\"},", "")).isFalse();
        assertThat(tickets("", "\"persistence\": {\"mode\": \"active-cookie\", \"fallback\": \"ssl-session-id\"},",
                "")).isFalse();
        assertThat(tickets("", "", "\"persistence\": {\"mode\": \"ssl-session-id\"},")).isFalse();
    }

    @Test
    void explicit_wins() {
        assertThat(tickets(", \"sessionTickets\": false", "", "")).isFalse();
        assertThat(tickets(", \"sessionTickets\": true", "\"persistence\": {\"mode\": \"ssl-session-id\"},", ""))
                .isTrue();
    }

    @Test
    void notABoolean_refusedNamingPathAndValue() {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(HTTPS_SERVICE.formatted(", \"sessionTickets\": \"yes\"", "", ""),
                        dir));
        assertThat(e).isNotNull();
        assertThat(e.errors()).singleElement().asString().startsWith("virtualServices[0].tls.sessionTickets: ")
                .contains("\"yes\"");
    }
}
