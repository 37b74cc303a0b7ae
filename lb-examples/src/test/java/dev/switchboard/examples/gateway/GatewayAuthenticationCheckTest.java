package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-authentication needs a directory in this gateway: with {@code authentication.ldap} {@code --check} accepts
 * the file; without one {@code --check} and a start refuse every place that asks for {@code auth}, rather than run
 * it without authentication.
 */
class GatewayAuthenticationCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String json, String... flags) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.json"), json);
        String[] args = new String[flags.length + 2];
        args[0] = "--config";
        args[1] = file.toString();
        System.arraycopy(flags, 0, args, 2, flags.length);
        return GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static final String FILE = """
            { "authentication": { "realm": "mail",
                "ldap": { "url": "ldap://127.0.0.1:389", "userDnPattern": "uid={user},ou=people,dc=example,dc=test" },
                "sso": { "domain": "example.test", "secret": "0123456789abcdef0123456789abcdef-gateway" } },
              "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http", "auth": "form",
                "subServices": [ { "name": "eas", "auth": "basic",
                    "match": [ { "on": "path", "type": "prefix", "value": "/eas" } ],
                    "realServers": [ { "name": "b1", "address": "127.0.0.1:9001" } ] },
                  { "name": "pool", "default": true, "auth": "none",
                    "realServers": [ { "name": "b1", "address": "127.0.0.1:9001" } ] } ] } ] }
            """;

    private static final String NO_LDAP = FILE.replace(
            "\"ldap\": { \"url\": \"ldap://127.0.0.1:389\","
                    + " \"userDnPattern\": \"uid={user},ou=people,dc=example,dc=test\" },",
            "");

    @Test
    void check_authenticationWithLdap_isAccepted() throws Exception {
        assertThat(run(FILE, "--check")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void check_authWithoutLdap_exitTwo_eachPlaceNamed() throws Exception {
        assertThat(NO_LDAP).doesNotContain("ldap");
        assertThat(run(NO_LDAP, "--check")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .startsWith("authentication.ldap: missing, expected the directory users log in against");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void start_authWithoutLdap_exitTwoWithoutBinding() throws Exception {
        assertThat(run(NO_LDAP)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("authentication.ldap: missing");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ready");
    }

    @Test
    void programmaticConfig_authWithoutLdap_isRefusedNamingEachPlace() {
        GatewayConfig config = new GatewayConfig(AdminSettings.none(), LoadBalancer.builder()
                .authentication(Authentication.builder().realm("mail").build())
                .virtualService(VirtualService.builder("app").listen("127.0.0.1:0").protocol(Protocol.HTTP)
                        .auth(AuthPolicy.of(AuthMode.BASIC))
                        .subService(SubService.builder("pool").asDefault()
                                .realServer(RealServer.of("b1", "127.0.0.1:9001")).build()).build()).build(),
                List.of());
        assertThat(UnsupportedKeys.problems(config)).containsExactly("virtualServices[0].auth: needs a directory to"
                + " check credentials, expected an authentication.ldap or authentication.radius section or auth none"
                + " (got \"basic\" and no directory)");
    }

    @Test
    void check_authNoneEverywhere_isAccepted() throws Exception {
        String none = """
                { "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http", "auth": "none",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "b1", "address": "127.0.0.1:9001" } ] } ] } ] }
                """;
        assertThat(run(none, "--check")).isZero();
    }
}
