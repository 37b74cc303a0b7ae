package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.VirtualService;
import dev.switchboard.tls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostNames} and several virtual services on one listen address (virtual hosting). */
class ReaderVirtualHostTest {

    @TempDir
    Path dir;

    /** A virtual service entry: name, listen, protocol, then extra keys (with a leading comma, or empty). */
    private static String vs(String name, String listen, String protocol, String extra) {
        return """
                {"name": "%s", "listen": "%s", "protocol": "%s" %s,
                 "subServices": [{"name": "pool", "default": true,
                                  "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}
                """.formatted(name, listen, protocol, extra);
    }

    private static String file(String... services) {
        return "{\"virtualServices\": [" + String.join(",", services) + "]}";
    }

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void threeVirtualServicesOnOneAddress_parse_oneListenerEachWithTheirHostNames() {
        GatewayConfig config = GatewayConfigReader.parse(file(
                vs("owa", "127.0.0.1:8080", "http", ", \"hostNames\": [\"OWA.example.test\"]"),
                vs("any", "127.0.0.1:8080", "http", ", \"hostNames\": [\"*.example.test\", \"x.test\"]"),
                vs("default", "127.0.0.1:8080", "http", "")), dir);

        assertThat(config.loadBalancer().virtualServices()).extracting(VirtualService::hostNames)
                .containsExactly(List.of("owa.example.test"), List.of("*.example.test", "x.test"), List.of());
        assertThat(config.listeners()).hasSize(3).allMatch(l -> l.listen().toString().equals("127.0.0.1:8080"));
    }

    @Test
    void httpsVirtualServicesSharingAnAddress_parse_eachWithItsCertificate() throws Exception {
        TestPki.Issued ca = TestPki.ca("Reader CA");
        for (String name : List.of("owa", "web")) {
            TestPki.Issued leaf = TestPki.leaf(ca, name + ".example.test");
            TestPki.write(dir.resolve(name + ".pem"), TestPki.certificatePem(leaf.certificate()));
            TestPki.write(dir.resolve(name + ".key"), TestPki.pkcs8Pem(leaf.keys().getPrivate()));
        }
        GatewayConfig config = GatewayConfigReader.parse(file(
                vs("owa", "127.0.0.1:8443", "https", ", \"hostNames\": [\"owa.example.test\"],"
                        + " \"tls\": {\"certificate\": \"owa.pem\", \"privateKey\": \"owa.key\"}"),
                vs("web", "127.0.0.1:8443", "https", ", \"tls\": {\"certificate\": \"web.pem\","
                        + " \"privateKey\": \"web.key\"}")), dir);

        assertThat(config.listeners()).hasSize(2).allMatch(l -> l.findTls().isPresent());
    }

    @Test
    void twoDefaultsAndAPatternTwiceOnOneAddress_parse_bothReportedWithPaths() {
        assertThat(errors(file(
                vs("owa", "127.0.0.1:8080", "http", ", \"hostNames\": [\"owa.example.test\"]"),
                vs("a", "127.0.0.1:8080", "http", ""),
                vs("b", "127.0.0.1:8080", "http", ", \"hostNames\": [\"OWA.example.test\"]"),
                vs("c", "127.0.0.1:8080", "http", "")))).containsExactly(
                "virtualServices[2].hostNames[0]: \"owa.example.test\" on 127.0.0.1:8080 is also"
                        + " virtualServices[0].hostNames[0], expected each host name once per address"
                        + " (got \"OWA.example.test\")",
                "virtualServices[3].hostNames: missing: a second default on 127.0.0.1:8080, as virtualServices[1]"
                        + " has no hostNames either, expected hostNames on every virtual service of a shared"
                        + " address but one (got nothing)");
    }

    @Test
    void protocolsThatCannotShareAPort_parse_reportedAtProtocol() {
        List<String> errors = errors(file(
                vs("web", "127.0.0.1:8080", "http", ", \"hostNames\": [\"web.test\"]"),
                vs("imap", "127.0.0.1:8080", "tcp", "")));

        assertThat(errors).singleElement().asString().startsWith("virtualServices[1].protocol: tcp on 127.0.0.1:8080,"
                + " which virtualServices[0] serves with http, expected one protocol per address; http, https and tcp"
                + " cannot share a port (got \"tcp\")");
    }

    @Test
    void badHostNames_parse_eachReportedWithItsIndex() {
        List<String> errors = errors(file(vs("web", "127.0.0.1:8080", "http",
                ", \"hostNames\": [\"ok.test\", \"a..b\", 7, \"x.*.test\"]")));

        assertThat(errors).containsExactlyInAnyOrder(
                "virtualServices[0].hostNames[2]: expected a string (a host name such as owa.example.test or"
                        + " *.example.test) (got 7)",
                "virtualServices[0].hostNames[1]: \"a..b\" has an empty label, expected a DNS name such as"
                        + " owa.example.test, or *. followed by one such as *.example.test (got \"a..b\")");
        assertThat(errors(file(vs("web", "127.0.0.1:8080", "http", ", \"hostNames\": []")))).containsExactly(
                "virtualServices[0].hostNames: empty, expected at least one host name (leave hostNames out for the"
                        + " default of the address) (got [])");
    }

    @Test
    void listenerOptionsThatDifferOnASharedAddress_parse_reportedAtTheOption() {
        List<String> errors = errors(file(
                vs("owa", "127.0.0.1:8080", "http", ", \"hostNames\": [\"owa.example.test\"]"),
                vs("web", "127.0.0.1:8080", "http", ", \"timeouts\": {\"clientIdle\": \"5s\"},"
                        + " \"limits\": {\"maxHeaderSize\": 4096}")));

        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("virtualServices[1].timeouts: differs from virtualServices[0] on the"
                + " shared address 127.0.0.1:8080, expected the same timeouts on every virtual service of one address");
        assertThat(errors.get(1)).startsWith("virtualServices[1].limits: differs from virtualServices[0]");
    }

    @Test
    void sharedAddressWithoutHostNamesOrWithTheAdminApi_parse_stillADuplicate() {
        assertThat(errors(file(vs("a", "127.0.0.1:8080", "http", ""), vs("b", "127.0.0.1:8080", "http", ""))))
                .containsExactly("virtualServices[1].listen: duplicate listen address, already used by"
                        + " virtualServices[0].listen (got \"127.0.0.1:8080\")");
        String withAdmin = "{\"admin\": {\"listen\": \"127.0.0.1:8080\"}," + file(
                vs("a", "127.0.0.1:8080", "http", ", \"hostNames\": [\"a.test\"]")).substring(1);
        assertThat(errors(withAdmin)).containsExactly("virtualServices[0].listen: duplicate listen address, already"
                + " used by admin.listen (got \"127.0.0.1:8080\")");
    }

    @Test
    void check_twoDefaultsOnASharedAddress_exits2WithThePath() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, file(vs("owa", "127.0.0.1:8080", "http", ", \"hostNames\": [\"owa.example.test\"]"),
                vs("a", "127.0.0.1:8080", "http", ""), vs("b", "127.0.0.1:8080", "http", "")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = ConfigCheck.check(file, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(ConfigCheck.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("virtualServices[2].hostNames: missing: a second"
                + " default on 127.0.0.1:8080");
        assertThat(out.size()).isZero();
    }
}
