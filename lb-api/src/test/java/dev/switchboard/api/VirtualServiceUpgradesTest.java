package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualServiceUpgradesTest {

    private static VirtualService.Builder http() {
        return VirtualService.builder("web").listen("0.0.0.0:80").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", "10.0.0.1:80"))
                        .build());
    }

    private static List<String> problems(VirtualService vs) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> LoadBalancer.builder().virtualService(vs).build());
        assertThat(e).as("a configuration error").isNotNull();
        return e.violations().stream().map(v -> v.path() + ": " + v.message()).toList();
    }

    @Test
    void upgrades_byDefault_areWebSocketOnly() {
        VirtualService vs = LoadBalancer.builder().virtualService(http().build()).build().virtualServices().get(0);
        assertThat(vs.upgrades()).containsExactly("websocket");
    }

    @Test
    void upgrades_noneOrOthers_areKept() {
        assertThat(http().upgrades().build().upgrades()).isEmpty();
        assertThat(http().upgrades("websocket", "echo").build().upgrades()).containsExactly("websocket", "echo");
    }

    @Test
    void upgrades_h2c_isRefusedWithItsPath_inAnyCase() {
        assertThat(problems(http().upgrades("websocket", "H2C").build()))
                .containsExactly("virtualServices[0].upgrades[1]: 'H2C' (expected: not h2c, which is never"
                        + " tunnelled: a tunnel to a server that speaks h2c would carry requests past every rule)");
    }

    @Test
    void upgrades_notAToken_orTwice_areRefusedWithTheirPaths() {
        assertThat(problems(http().upgrades("web socket", "echo/2", "websocket", "WebSocket").build()))
                .hasSize(3)
                .anyMatch(p -> p.startsWith("virtualServices[0].upgrades[0]: 'web socket' (expected: a protocol name"))
                .anyMatch(p -> p.startsWith("virtualServices[0].upgrades[1]: 'echo/2' (expected: a protocol name"))
                .contains("virtualServices[0].upgrades[3]: 'WebSocket' is listed twice");
    }

    @Test
    void upgrades_takePartInEquality() {
        assertThat(http().upgrades("websocket").build()).isEqualTo(http().build());
        assertThat(http().upgrades().build()).isNotEqualTo(http().build());
    }
}
