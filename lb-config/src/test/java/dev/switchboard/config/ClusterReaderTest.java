package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cluster} section: read into a {@link ClusterConfig}, its keys and types checked here, its values handed
 * to the {@link ClusterValueCheck} and the violations reported as lines of the file.
 */
class ClusterReaderTest {

    @TempDir
    Path dir;

    /** One http virtual service; {@code %s} adds top-level keys. */
    private static final String FILE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http",
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}] %s}
            """;

    private List<String> errors(String topKeys, ClusterValueCheck check) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted(topKeys), dir, check));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void noClusterKey_parse_singleInstance() {
        GatewayConfig config = GatewayConfigReader.parse(FILE.formatted(""), dir);
        assertThat(config.findCluster()).isEmpty();
        assertThat(config.cluster()).isEqualTo(ClusterConfig.none());
    }

    @Test
    void everyKey_parse_readAsWritten() {
        GatewayConfig config = GatewayConfigReader.parse(FILE.formatted("""
                , "cluster": {"name": "mail-lb", "member": "10.0.0.1:5701", "bind": "192.168.1.5:5701",
                              "members": ["10.0.0.1:5701", "10.0.0.2:5701"], "secret": "s3cret",
                              "batchInterval": "20ms", "syncTimeout": "PT5S"}"""), dir);
        ClusterConfig cluster = config.findCluster().orElseThrow();
        assertThat(cluster.name()).isEqualTo("mail-lb");
        assertThat(cluster.member()).isEqualTo("10.0.0.1:5701");
        assertThat(cluster.findBind()).contains("192.168.1.5:5701");
        assertThat(cluster.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(cluster.secret()).isEqualTo("s3cret");
        assertThat(cluster.findBatchInterval()).contains(Duration.ofMillis(20));
        assertThat(cluster.findSyncTimeout()).contains(Duration.ofSeconds(5));
        assertThat(cluster.toString()).contains("mail-lb", "secret set").doesNotContain("s3cret");
    }

    @Test
    void contractKeysOnly_parse_optionalOnesUnset() {
        ClusterConfig cluster = GatewayConfigReader.parse(FILE.formatted("""
                , "cluster": {"name": "pair", "member": "127.0.0.1:5701", "members": ["127.0.0.1:5702"]}"""), dir)
                .findCluster().orElseThrow();
        assertThat(cluster).isEqualTo(ClusterConfig.of("pair", "127.0.0.1:5701", List.of("127.0.0.1:5702"), ""));
        assertThat(cluster.findBind()).isEmpty();
        assertThat(cluster.findBatchInterval()).isEmpty();
        assertThat(cluster.findSyncTimeout()).isEmpty();
    }

    @Test
    void wrongTypesAndUnknownKey_parse_everyProblemByPath_secretHidden() {
        List<String> lines = errors("""
                , "cluster": {"name": 5, "member": ["127.0.0.1:5701"], "members": ["127.0.0.1:5701", 7],
                              "secret": 42, "bind": true, "batchInterval": "fast", "syncTimeout": "-1s",
                              "port": 5701}""", ClusterValueCheck.NONE);
        assertThat(lines).containsExactlyInAnyOrder(
                "cluster.port: unknown key (got 5701)",
                "cluster.name: expected a string (got 5)",
                "cluster.member: expected a string (got [\"127.0.0.1:5701\"])",
                "cluster.members[1]: expected an address ip:port as a string (got 7)",
                "cluster.secret: expected a string (got a hidden value)",
                "cluster.bind: expected a string (got true)",
                "cluster.batchInterval: bad duration: no number, expected " + Durations.EXPECTED + " (got \"fast\")",
                "cluster.syncTimeout: bad duration: negative, expected " + Durations.EXPECTED + " (got \"-1s\")");
    }

    @Test
    void missingNameAndMember_parse_bothReported() {
        assertThat(errors(", \"cluster\": {\"members\": \"127.0.0.1:5701\"}", ClusterValueCheck.NONE))
                .containsExactlyInAnyOrder(
                        "cluster.name: missing, expected the cluster's name, the same on every member (got nothing)",
                        "cluster.member: missing, expected this member's cluster address ip:port (got nothing)",
                        "cluster.members: expected an array (got \"127.0.0.1:5701\")");
    }

    @Test
    void notAnObject_parse_oneLine() {
        assertThat(errors(", \"cluster\": \"mail-lb\"", ClusterValueCheck.NONE))
                .containsExactly("cluster: expected an object (got \"mail-lb\")");
    }

    @Test
    void valueCheckViolations_parse_becomeLinesAtTheirPathWithTheFilesValue() {
        List<ClusterConfig> judged = new ArrayList<>();
        ClusterValueCheck check = cluster -> {
            judged.add(cluster);
            return List.of(new Violation("member", "'127.0.0.1:0' (expected: a port from 1 to 65535)"),
                    new Violation("members[1]", "'nowhere:1' (expected: ip:port, an IP literal)"),
                    new Violation("secret", "empty, but member '10.0.0.1:5701' is not a loopback address"));
        };
        List<String> lines = errors("""
                , "cluster": {"name": "pair", "member": "127.0.0.1:0", "members": ["127.0.0.1:5701", "nowhere:1"]}
                """, check);
        assertThat(judged).singleElement().extracting(ClusterConfig::member).isEqualTo("127.0.0.1:0");
        assertThat(lines).containsExactly(
                "cluster.member: expected a port from 1 to 65535 (got \"127.0.0.1:0\")",
                "cluster.members[1]: expected ip:port, an IP literal (got \"nowhere:1\")",
                "cluster.secret: empty, but member '10.0.0.1:5701' is not a loopback address (got nothing)");
    }

    @Test
    void valueCheck_withOtherProblemsInTheFile_stillReportsBoth() {
        List<String> lines = errors("""
                , "timeouts": {"connect": "soon"},
                  "cluster": {"name": "pair", "member": "127.0.0.1:0"}""",
                cluster -> List.of(new Violation("member", "'127.0.0.1:0' (expected: a port from 1 to 65535)")));
        assertThat(lines).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("timeouts.connect: bad duration"))
                .contains("cluster.member: expected a port from 1 to 65535 (got \"127.0.0.1:0\")");
    }

    @Test
    void wrongType_parse_valuesNotJudged() {
        List<ClusterConfig> judged = new ArrayList<>();
        errors(", \"cluster\": {\"name\": \"pair\", \"member\": 5701}", cluster -> {
            judged.add(cluster);
            return List.of();
        });
        assertThat(judged).isEmpty();
    }
}
