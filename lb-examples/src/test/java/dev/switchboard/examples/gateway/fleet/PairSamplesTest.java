package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ClusterConfig;
import dev.switchboard.config.ConfigCheck;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pair samples of {@code docs/cluster.md} ({@code config/pair-a.json}, {@code config/pair-b.json}). */
class PairSamplesTest {

    private static Path resource(String name) throws Exception {
        return Path.of(PairSamplesTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void pairSamples_check_passTheClusterRules() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ConfigCheck.check(resource("pair-a.json"), Gateway.clusterCheck(), print, errors)).isZero();
        assertThat(ConfigCheck.check(resource("pair-b.json"), Gateway.clusterCheck(), print, errors)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void pairSamples_read_sameClusterAndModel_ownMemberAndPorts() throws Exception {
        GatewayConfig a = GatewayConfigReader.read(resource("pair-a.json"), Gateway.clusterCheck());
        GatewayConfig b = GatewayConfigReader.read(resource("pair-b.json"), Gateway.clusterCheck());
        ClusterConfig ca = a.findCluster().orElseThrow();
        ClusterConfig cb = b.findCluster().orElseThrow();
        assertThat(ca.name()).isEqualTo(cb.name()).isEqualTo("pair");
        assertThat(ca.members()).isEqualTo(cb.members()).containsExactlyInAnyOrder(ca.member(), cb.member());
        assertThat(ca.member()).isNotEqualTo(cb.member());
        assertThat(a.loadBalancer().virtualServices()).extracting(v -> v.name())
                .isEqualTo(b.loadBalancer().virtualServices().stream().map(v -> v.name()).toList());
        assertThat(List.of(a.listeners().get(0).listen(), a.admin().listen()))
                .doesNotContainAnyElementsOf(List.of(b.listeners().get(0).listen(), b.admin().listen()));
    }
}
