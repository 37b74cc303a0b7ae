package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-authentication is read by lb-config but not served by this gateway yet: {@code --check} and a start refuse a
 * file that asks for it, naming each place, rather than run it without authentication.
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

    @Test
    void check_authenticationKeys_exitTwo_eachPlaceNamed() throws Exception {
        assertThat(run(FILE, "--check")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "authentication: pre-authentication is not supported by this gateway yet, expected no"
                        + " authentication section (got an authentication section)",
                "virtualServices[0].auth: not supported by this gateway yet, expected none (got \"form\")",
                "virtualServices[0].subServices[0].auth: not supported by this gateway yet, expected none"
                        + " (got \"basic\")");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void start_authenticationKeys_exitTwoWithoutBinding() throws Exception {
        assertThat(run(FILE)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not supported by this gateway yet");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ready");
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
