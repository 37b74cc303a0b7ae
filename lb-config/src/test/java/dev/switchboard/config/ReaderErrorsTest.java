package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of problem in a file: the path and the {@code (got VALUE)} of its line. */
class ReaderErrorsTest {

    @TempDir
    Path dir;

    /** One http virtual service; {@code %1$s} adds keys to it, {@code %2$s} to its real server. */
    private static final String ONE_SERVICE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http" %1$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001" %2$s}]}]}]}
            """;

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    private List<String> serviceErrors(String serviceKeys) {
        return errors(ONE_SERVICE.formatted(serviceKeys, ""));
    }

    private List<String> serverErrors(String serverKeys) {
        return errors(ONE_SERVICE.formatted("", serverKeys));
    }

    @Test
    void validFile_parse_hasNoErrors() {
        GatewayConfig config = GatewayConfigReader.parse(ONE_SERVICE.formatted("", ""), dir);
        assertThat(config.loadBalancer().virtualServices()).hasSize(1);
        assertThat(config.admin().enabled()).isFalse();
    }

    @Test
    void syntaxError_parse_oneLineWithLineAndColumn() {
        assertThat(errors("{\n  \"virtualServices\": [\n    {\"name\": \"web\",}\n  ]\n}"))
                .singleElement().asString()
                .startsWith("line 3, column 20: invalid JSON: Unexpected character ('}'")
                .endsWith("(got \"{\\\"name\\\": \\\"web\\\",}\")");
    }

    @Test
    void duplicateKey_parse_isASyntaxError() {
        assertThat(errors("{\"virtualServices\": [], \"virtualServices\": []}")).singleElement().asString()
                .startsWith("line 1, column 42: invalid JSON: Duplicate field 'virtualServices'");
    }

    @Test
    void unknownKey_parse_namesKeyAndValue() {
        assertThat(serviceErrors(", \"schedulng\": \"round-robin\""))
                .containsExactly("virtualServices[0].schedulng: unknown key (got \"round-robin\")");
    }

    @Test
    void wrongType_parse_namesExpectedType() {
        assertThat(serverErrors(", \"weight\": \"2\"")).containsExactly(
                "virtualServices[0].subServices[0].realServers[0].weight: expected an integer (got \"2\")");
        assertThat(serviceErrors(", \"forwardedHeaders\": \"yes\"")).containsExactly(
                "virtualServices[0].forwardedHeaders: expected true or false (got \"yes\")");
        assertThat(serviceErrors(", \"sorryServer\": null")).containsExactly(
                "virtualServices[0].sorryServer: expected an object (got null)");
    }

    @Test
    void missingRequired_parse_gotNothing() {
        assertThat(errors("""
                {"virtualServices": [{"name": "web", "protocol": "http",
                  "subServices": [{"name": "pool", "default": true, "realServers": [{"name": "a"}]}]}]}
                """)).containsExactly(
                "virtualServices[0].listen: missing, expected an address host:port (got nothing)",
                "virtualServices[0].subServices[0].realServers[0].address: missing, expected an address host:port"
                        + " (got nothing)");
        assertThat(errors("{}")).containsExactly(
                "virtualServices: missing, expected a list of virtual services (got nothing)");
    }

    @Test
    void badEnum_parse_listsAllowedValues() {
        assertThat(serviceErrors(", \"scheduling\": \"round-robbin\"")).containsExactly(
                "virtualServices[0].scheduling: expected one of round-robin, weighted-round-robin, least-connection,"
                        + " weighted-least-connection, fixed-weighting, source-ip-hash, random, least-loaded"
                        + " (got \"round-robbin\")");
        assertThat(serviceErrors(", \"expectContinue\": \"rfc9110\"")).containsExactly(
                "virtualServices[0].expectContinue: expected one of rfc7231, rfc2616, ignore (got \"rfc9110\")");
    }

    @Test
    void badDuration_parse_namesProblem() {
        assertThat(serviceErrors(", \"slowStart\": \"30x\"")).containsExactly(
                "virtualServices[0].slowStart: bad duration: unknown unit 'x', expected " + Durations.EXPECTED
                        + " (got \"30x\")");
        assertThat(serviceErrors(", \"slowStart\": 30")).containsExactly(
                "virtualServices[0].slowStart: expected a string (got 30)");
    }

    @Test
    void badAddress_parse_namesField() {
        assertThat(errors(ONE_SERVICE.replace("127.0.0.1:9001", "127.0.0.1").formatted("", ""))).containsExactly(
                "virtualServices[0].subServices[0].realServers[0].address: bad address, expected host:port or"
                        + " [ipv6]:port with a port 1..65535 (got \"127.0.0.1\")");
        assertThat(serviceErrors(", \"sorryServer\": {\"address\": \"127.0.0.1:99999\"}")).containsExactly(
                "virtualServices[0].sorryServer.address: bad address, expected host:port or [ipv6]:port with a port"
                        + " 1..65535 (got \"127.0.0.1:99999\")");
    }
}
