package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class OperatorControlsValidationTest {

    @Test
    void minHealthyAndPanicThreshold_outOfRange_areListedWithTheirPaths() {
        ConfigurationException e = catchThrowableOfType(() -> LoadBalancer.builder().virtualService(
                VirtualService.builder("vs").subService(SubService.builder("pool").asDefault()
                        .minHealthyServers(-1).panicThreshold(101)
                        .realServer(RealServer.of("s1", "10.0.0.1:80")).build()).build()).build(),
                ConfigurationException.class);
        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "virtualServices[0].subServices[0].minHealthyServers: -1 (expected: 0 or more)",
                "virtualServices[0].subServices[0].panicThreshold: 101 (expected: 0..100 percent)");
    }

    @Test
    void defaults_turnBothOff() {
        SubService s = SubService.builder("pool").build();
        assertThat(s.minHealthyServers()).isZero();
        assertThat(s.panicThresholdPercent()).isZero();
    }
}
