package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.examples.gateway.GatewayMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway without a {@code cluster} section loads no cluster code: neither {@code dev.switchboard.cluster} nor
 * Hazelcast (nor the gateway's own fleet glue) shows in the JVM's class-loading log of a child gateway that starts,
 * serves, reloads and stops, nor of a {@code --check}. The same log of a {@code --check} of a file with a
 * {@code cluster} section shows them, so the log would catch them.
 */
class SingleGatewayClassLoadingTest {

    private static final Predicate<String> CLUSTER_CLASS = l -> l.contains(" dev.switchboard.cluster.")
            || l.contains(" com.hazelcast.") || l.contains(" dev.switchboard.examples.gateway.fleet.");

    @TempDir
    Path dir;

    private static String config(int admin, int port, String backend, String cluster) {
        return """
                { "admin": { "listen": "127.0.0.1:%d" }, %s
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:%d", "protocol": "http",
                    "persistence": { "mode": "source-ip", "sourceIpMask": 32 },
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "ex01", "address": "%s" } ] } ] } ] }
                """.formatted(admin, cluster, port, backend);
    }


    private static String classLog(Path file) {
        return "-Xlog:class+load=info:file=" + file;
    }

    @Test
    void gatewayWithoutCluster_startServeReloadStop_loadsNoClusterClass() throws Exception {
        try (NamedHttpServers servers = new NamedHttpServers("ex01")) {
            int admin = LoopbackPorts.pick();
            int port = LoopbackPorts.pick();
            Path file = Files.writeString(dir.resolve("single.json"), config(admin, port, servers.address("ex01"), ""));
            Path classes = dir.resolve("classes.log");
            try (GatewayProcess gateway = GatewayProcess.start("single", file, admin, Duration.ofSeconds(60),
                    List.of(classLog(classes)))) {
                assertThat(FleetClients.get("127.0.0.1", port, Optional.empty()).servedBy()).isEqualTo("ex01");
                assertThat(gateway.reload().path("httpStatus").asInt()).isEqualTo(200);
                assertThat(gateway.persistenceEntries("app")).isEqualTo(1);
                assertThat(gateway.stop()).isZero();
            }
            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).as("the log works")
                    .anyMatch(l -> l.contains(" dev.switchboard.examples.gateway.Gateway "))
                    .anyMatch(l -> l.contains(" dev.switchboard.config.GatewayConfigReader "));
            assertThat(loaded).noneMatch(CLUSTER_CLASS);
        }
    }

    @Test
    void check_loadsClusterClassesOnlyForAFileWithACluster() throws Exception {
        Path single = Files.writeString(dir.resolve("single.json"), config(9000, 8080, "127.0.0.1:9001", ""));
        Path pair = Files.writeString(dir.resolve("pair.json"), config(9000, 8080, "127.0.0.1:9001", """
                "cluster": { "name": "pair", "member": "127.0.0.1:5701", "members": ["127.0.0.1:5702"] },"""));
        assertThat(checkLoads(single)).noneMatch(CLUSTER_CLASS);
        assertThat(checkLoads(pair)).anyMatch(l -> l.contains(" dev.switchboard.cluster.ClusterMember "))
                .anyMatch(l -> l.contains(" dev.switchboard.examples.gateway.fleet.ClusterValues "));
    }

    /** Runs {@code --check} on {@code file} in a JVM of its own (exit 0 expected): the classes it loaded. */
    private List<String> checkLoads(Path file) throws Exception {
        Path classes = dir.resolve(file.getFileName() + ".classes.log");
        Process check = new ProcessBuilder(GatewayProcess.java(), classLog(classes), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--config", file.toString(),
                "--check").redirectErrorStream(true).start();
        try {
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
        } finally {
            check.destroyForcibly();
        }
        return Files.readAllLines(classes);
    }
}
