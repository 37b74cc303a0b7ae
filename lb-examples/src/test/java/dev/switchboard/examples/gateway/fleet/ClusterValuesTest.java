package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Violation;
import dev.switchboard.config.ClusterConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster module's rules applied to a file's section: every bad value found, each at its own path. */
class ClusterValuesTest {

    private static final ClusterConfig GOOD = ClusterConfig.of("mail-lb", "127.0.0.1:5701",
            List.of("127.0.0.1:5701", "127.0.0.1:5702"), "");

    @Test
    void goodLoopbackSection_problems_none() {
        assertThat(ClusterValues.problems(GOOD)).isEmpty();
        assertThat(ClusterValues.problems(GOOD.withBind("127.0.0.1:15701").withBatchInterval(Duration.ofMillis(20))
                .withSyncTimeout(Duration.ofSeconds(3)))).isEmpty();
    }

    @Test
    void networkMemberWithSecret_problems_none() {
        assertThat(ClusterValues.problems(ClusterConfig.of("edge", "10.0.0.1:5701", List.of("10.0.0.2:5701"), "s")))
                .isEmpty();
    }

    @Test
    void everyValueBad_problems_eachAtItsPath() {
        ClusterConfig bad = ClusterConfig.of("mail lb", "127.0.0.1:0", List.of("127.0.0.1:5701", "lb2:5701",
                "127.0.0.1:70000"), "").withBind("0.0.0.0").withBatchInterval(Duration.ZERO)
                .withSyncTimeout(Duration.ofHours(1));
        assertThat(ClusterValues.problems(bad)).extracting(Violation::path).containsExactly("name", "member", "bind",
                "members[1]", "members[2]", "batchInterval", "syncTimeout");
        assertThat(ClusterValues.problems(bad)).extracting(Violation::message).containsExactly(
                "'mail lb' (expected: 1 to 64 of [A-Za-z0-9._-])",
                "'127.0.0.1:0' (expected: a port from 1 to 65535)",
                "'0.0.0.0' (expected: ip:port, an IP literal)",
                "'lb2:5701' (expected: ip:port, an IP literal)",
                "'127.0.0.1:70000' (expected: a port from 1 to 65535)",
                "PT0S (expected: PT0.001S to PT10S)",
                "PT1H (expected: PT0.001S to PT10M)");
    }

    @Test
    void nonLoopbackMemberWithoutSecret_problems_secret() {
        assertThat(ClusterValues.problems(ClusterConfig.of("edge", "10.0.0.1:5701", List.of(), "")))
                .containsExactly(new Violation("secret", "empty, but member '10.0.0.1:5701' is not a loopback address"
                        + " (members on a network must share a secret)"));
    }

    @Test
    void badSection_builder_throwsNamingThePathInTheFile() {
        assertThatThrownBy(() -> ClusterValues.builder(GOOD.withBind("127.0.0.1:99999")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster.bind: '127.0.0.1:99999' (expected: a port from 1 to 65535)");
    }
}
