package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check} and start with a {@code cluster} section: every bad value on its own line, exit 2. */
class GatewayClusterCheckTest {

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

    private static String config(String cluster, String weight) {
        return """
                { "cluster": %s,
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:8080", "protocol": "http",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "b1", "address": "127.0.0.1:9001", "weight": %s } ] } ] } ] }
                """.formatted(cluster, weight);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void check_goodCluster_exitsZero() throws Exception {
        assertThat(run(config("""
                {"name": "pair", "member": "127.0.0.1:5701", "members": ["127.0.0.1:5701", "127.0.0.1:5702"],
                 "batchInterval": "20ms", "syncTimeout": "5s"}""", "1"), "--check")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ok: 1 virtual service");
    }

    @Test
    void check_everyClusterValueBad_exitsTwo_oneLinePerValue_withTheFilesOtherErrors() throws Exception {
        int code = run(config("""
                {"name": "mail lb", "member": "10.0.0.1:0", "bind": "0.0.0.0",
                 "members": ["10.0.0.1:5701", "lb2:5701", "10.0.0.2:70000"],
                 "batchInterval": "0ms", "syncTimeout": "1h"}""", "-1"), "--check");
        assertThat(code).isEqualTo(2);
        assertThat(errLines()).containsExactlyInAnyOrder(
                "virtualServices[0].subServices[0].realServers[0].weight: expected 0..65535 (got -1)",
                "cluster.name: expected 1 to 64 of [A-Za-z0-9._-] (got \"mail lb\")",
                "cluster.member: expected a port from 1 to 65535 (got \"10.0.0.1:0\")",
                "cluster.bind: expected ip:port, an IP literal (got \"0.0.0.0\")",
                "cluster.members[1]: expected ip:port, an IP literal (got \"lb2:5701\")",
                "cluster.members[2]: expected a port from 1 to 65535 (got \"10.0.0.2:70000\")",
                "cluster.batchInterval: PT0S, expected PT0.001S to PT10S (got \"0ms\")",
                "cluster.syncTimeout: PT1H, expected PT0.001S to PT10M (got \"1h\")");
    }

    @Test
    void check_networkMemberWithoutSecret_exitsTwo_namingTheSecret() throws Exception {
        assertThat(run(config("{\"name\": \"edge\", \"member\": \"10.0.0.1:5701\", \"members\": [\"10.0.0.2:5701\"]}",
                "1"), "--check")).isEqualTo(2);
        assertThat(errLines()).containsExactly("cluster.secret: empty, but member '10.0.0.1:5701' is not a loopback"
                + " address (members on a network must share a secret) (got nothing)");
    }

    @Test
    void check_wrongTypeInCluster_exitsTwo() throws Exception {
        assertThat(run(config("{\"name\": \"edge\", \"member\": 5701}", "1"), "--check")).isEqualTo(2);
        assertThat(errLines()).containsExactly("cluster.member: expected a string (got 5701)");
    }

    @Test
    void start_badClusterValue_exitsTwoBeforeStartingAnything() throws Exception {
        assertThat(run(config("{\"name\": \"edge\", \"member\": \"127.0.0.1:99999\"}", "1"))).isEqualTo(2);
        assertThat(errLines()).containsExactly(
                "cluster.member: expected a port from 1 to 65535 (got \"127.0.0.1:99999\")");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ready");
    }
}
