package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.config.ConfigFileException;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway with a {@code cluster} section, in this JVM: its member is started and exposed, a reload that changes
 * the section is refused as a whole (the running member kept), one that keeps it applies, and stopping closes the
 * member.
 */
class GatewayClusterReloadTest {

    @TempDir
    Path dir;

    private NamedHttpServers servers;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (servers != null) {
            servers.close();
        }
    }


    private String config(int port, int clusterPort, String server) {
        return """
                { "cluster": { "name": "reload-test", "member": "127.0.0.1:%d", "syncTimeout": "2s" },
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:%d", "protocol": "http",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "%s", "address": "%s" } ] } ] } ] }
                """.formatted(clusterPort, port, server, servers.address(server));
    }

    private String servedBy(int port) throws Exception {
        return FleetClients.get("127.0.0.1", port, Optional.empty()).servedBy();
    }

    @Test
    void clusterSection_start_memberStartedAndExposed_reloadChangingItRefused_keepingItApplies() throws Exception {
        servers = new NamedHttpServers("ex01", "ex02");
        int port = LoopbackPorts.pick();
        int clusterPort = LoopbackPorts.pick();
        Path file = Files.writeString(dir.resolve("gateway.json"), config(port, clusterPort, "ex01"));
        gateway = Gateway.start(GatewayConfigReader.read(file, Gateway.clusterCheck()), file);
        ClusterMember member = gateway.clusterMember().orElseThrow();
        assertThat(member.isReady()).isTrue();
        assertThat(member.memberCount()).isEqualTo(1);
        assertThat(servedBy(port)).isEqualTo("ex01");

        Files.writeString(file, config(port, LoopbackPorts.pick(), "ex02"));
        ConfigFileException refused = catchThrowableOfType(ConfigFileException.class, gateway::reload);
        assertThat(refused.errors()).singleElement().asString()
                .startsWith("cluster: changed, which only a restart applies; nothing was reloaded and the running"
                        + " cluster is kept (got cluster reload-test member 127.0.0.1:")
                .contains("running cluster reload-test member 127.0.0.1:" + clusterPort);
        assertThat(servedBy(port)).as("nothing reloaded").isEqualTo("ex01");
        assertThat(gateway.clusterMember()).containsSame(member);
        assertThat(member.isReady()).isTrue();

        Files.writeString(file, config(port, clusterPort, "ex02"));
        gateway.reload();
        assertThat(servedBy(port)).isEqualTo("ex02");
        assertThat(gateway.clusterMember()).containsSame(member);

        gateway.close();
        assertThat(member.isReady()).as("closed with the gateway").isFalse();
        assertThat(member.memberCount()).isZero();
    }

    @Test
    void noClusterSection_clusterMember_empty() throws Exception {
        servers = new NamedHttpServers("ex01");
        Path file = Files.writeString(dir.resolve("gateway.json"), """
                { "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "ex01", "address": "%s" } ] } ] } ] }
                """.formatted(servers.address("ex01")));
        gateway = Gateway.start(GatewayConfigReader.read(file, Gateway.clusterCheck()), file);
        assertThat(gateway.clusterMember()).isEmpty();
    }
}
