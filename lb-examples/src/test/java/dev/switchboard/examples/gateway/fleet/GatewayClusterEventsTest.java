package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.engine.EventHistory;
import dev.switchboard.examples.gateway.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gateways of one fleet in this JVM: the first records the second joining and leaving in its events. */
class GatewayClusterEventsTest {

    @TempDir
    Path dir;

    private NamedHttpServers servers;
    private Gateway first;
    private Gateway second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (servers != null) {
            servers.close();
        }
    }


    private Gateway start(String name, int clusterPort, int... members) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int m : members) {
            list.append(list.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(m).append('"');
        }
        Path file = Files.writeString(dir.resolve(name + ".json"), """
                { "cluster": { "name": "events-test", "member": "127.0.0.1:%d", "members": [%s],
                               "syncTimeout": "2s" },
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "accessLog": false,
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "ex01", "address": "%s" } ] } ] } ] }
                """.formatted(clusterPort, list, servers.address("ex01")));
        return Gateway.start(GatewayConfigReader.read(file, Gateway.clusterCheck()), file);
    }

    @Test
    void secondMemberJoinsThenStops_firstRecordsClusterMemberJoinedThenLeft() throws Exception {
        servers = new NamedHttpServers("ex01");
        int a = LoopbackPorts.pick();
        int b = LoopbackPorts.pick();
        first = start("first", a, a);
        second = start("second", b, a, b);
        EventHistory events = first.findEventHistory().orElseThrow();
        String who = "member 127.0.0.1:" + b;
        Eventually.until("joined", Duration.ofSeconds(10), () -> members(events).contains("joined " + who));
        second.close();
        second = null;
        Eventually.until("left", Duration.ofSeconds(15), () -> members(events).contains("left " + who));
        assertThat(members(events)).containsExactly("joined " + who, "left " + who);
    }

    private static List<String> members(EventHistory events) {
        return events.events().stream().filter(e -> e.kind() == EventKind.CLUSTER_MEMBER)
                .map(e -> e.to() + " " + e.reason()).toList();
    }
}
