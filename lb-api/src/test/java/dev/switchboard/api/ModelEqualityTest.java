package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.SchedulerFactory;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model values compare by value, so that the engine can skip a reload whose model equals the one in force: two
 * models built alike are equal with equal hash codes, and a change of any one setting, however deep, makes them
 * differ.
 */
class ModelEqualityTest {

    private static final SchedulerFactory FIRST_ELIGIBLE = servers -> (set, hash) -> 0;

    /** Settings that a variant changes one at a time; {@link #BASE} is the model's own. */
    record Knobs(int weight, String ruleValue, boolean ignoreCase, String headerValue, Duration persistenceTimeout,
            String cookieName, SchedulingMethod method, SchedulerFactory custom, Duration slowStart,
            AdminState state, int queueCapacity, String redirectHost, int maxPathLength, int sourceIpMaskV6) {
    }

    private static final Knobs BASE = new Knobs(2, "/owa", true, "on", Duration.ofMinutes(20), "SBSRV",
            SchedulingMethod.ROUND_ROBIN, null, Duration.ofSeconds(30), AdminState.ENABLED, 64, "example.com", 4096,
            64);

    private static LoadBalancer model(Knobs k) {
        ContentRule rule = ContentRule.pathPrefix(k.ruleValue());
        SubService.Builder owa = SubService.builder("owa")
                .matchAny(k.ignoreCase() ? rule.ignoreCase() : rule)
                .realServer(RealServer.builder("ex01", "10.0.0.1:443").weight(k.weight()).initialState(k.state())
                        .build())
                .realServer(RealServer.of("ex02", "10.0.0.2:443"))
                .requestRule(HeaderRule.setHeader("X-Owa", k.headerValue()))
                .persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(k.persistenceTimeout())
                        .cookieName(k.cookieName()).build())
                .slowStart(k.slowStart())
                .queue(k.queueCapacity(), Duration.ofSeconds(5));
        owa.scheduling(k.custom() == null ? Scheduling.of(k.method()) : Scheduling.custom("custom", k.custom()));
        return LoadBalancer.builder()
                .virtualService(VirtualService.builder("mail").listen("0.0.0.0:443").maxPathLength(k.maxPathLength())
                        .persistence(Persistence.builder(PersistenceMode.SOURCE_IP).sourceIpMaskV6(k.sourceIpMaskV6())
                                .build())
                        .subService(owa.build())
                        .subService(SubService.builder("rest").asDefault()
                                .realServer(RealServer.of("ex03", "10.0.0.3:443")).build())
                        .build())
                .virtualService(VirtualService.builder("http").listen("0.0.0.0:80")
                        .redirect(new Redirect("https", k.redirectHost(), 0, 301)).build())
                .build();
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("real server weight", copy(k -> new Knobs(3, k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(), k.slowStart(),
                        k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("content rule value", copy(k -> new Knobs(k.weight(), "/OWA", k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(), k.slowStart(),
                        k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("content rule flag", copy(k -> new Knobs(k.weight(), k.ruleValue(), false,
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(), k.slowStart(),
                        k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("header rule value", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        "off", k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(), k.slowStart(),
                        k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("persistence timeout", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), Duration.ofMinutes(21), k.cookieName(), k.method(), k.custom(),
                        k.slowStart(), k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(),
                        k.sourceIpMaskV6()))),
                Arguments.of("cookie name", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), "OTHER", k.method(), k.custom(), k.slowStart(),
                        k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("scheduling method", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), SchedulingMethod.RANDOM, k.custom(),
                        k.slowStart(), k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(),
                        k.sourceIpMaskV6()))),
                Arguments.of("custom scheduler", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), FIRST_ELIGIBLE,
                        k.slowStart(), k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(),
                        k.sourceIpMaskV6()))),
                Arguments.of("slow start", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(),
                        Duration.ofSeconds(31), k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(),
                        k.sourceIpMaskV6()))),
                Arguments.of("configured admin state", copy(k -> new Knobs(k.weight(), k.ruleValue(),
                        k.ignoreCase(), k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(),
                        k.custom(), k.slowStart(), AdminState.DRAINING, k.queueCapacity(), k.redirectHost(),
                        k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("queue capacity", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(),
                        k.slowStart(), k.state(), 65, k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()))),
                Arguments.of("redirect host", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(),
                        k.slowStart(), k.state(), k.queueCapacity(), "example.org", k.maxPathLength(),
                        k.sourceIpMaskV6()))),
                Arguments.of("max path length", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(),
                        k.slowStart(), k.state(), k.queueCapacity(), k.redirectHost(), 4095, k.sourceIpMaskV6()))),
                Arguments.of("source IPv6 mask", copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(),
                        k.headerValue(), k.persistenceTimeout(), k.cookieName(), k.method(), k.custom(),
                        k.slowStart(), k.state(), k.queueCapacity(), k.redirectHost(), k.maxPathLength(), 48))));
    }

    private static Knobs copy(UnaryOperator<Knobs> change) {
        return change.apply(BASE);
    }

    @Test
    void model_builtTwiceAlike_isEqualWithEqualHashCode() {
        LoadBalancer a = model(BASE);
        LoadBalancer b = model(BASE);

        assertThat(a).isNotSameAs(b).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.virtualServices().get(0)).isEqualTo(b.virtualServices().get(0));
        assertThat(a.virtualServices().get(0).subServices().get(0))
                .isEqualTo(b.virtualServices().get(0).subServices().get(0))
                .hasSameHashCodeAs(b.virtualServices().get(0).subServices().get(0));
    }

    @Test
    void model_sameCustomSchedulerFactory_isEqual_anotherInstance_isNot() {
        Knobs custom = copy(k -> new Knobs(k.weight(), k.ruleValue(), k.ignoreCase(), k.headerValue(),
                k.persistenceTimeout(), k.cookieName(), k.method(), FIRST_ELIGIBLE, k.slowStart(), k.state(),
                k.queueCapacity(), k.redirectHost(), k.maxPathLength(), k.sourceIpMaskV6()));
        SchedulerFactory lookalike = servers -> (set, hash) -> 0;
        Knobs other = new Knobs(custom.weight(), custom.ruleValue(), custom.ignoreCase(), custom.headerValue(),
                custom.persistenceTimeout(), custom.cookieName(), custom.method(), lookalike, custom.slowStart(),
                custom.state(), custom.queueCapacity(), custom.redirectHost(), custom.maxPathLength(),
                custom.sourceIpMaskV6());

        assertThat(model(custom)).isEqualTo(model(custom));
        assertThat(model(custom)).as("plug-ins compare by identity").isNotEqualTo(model(other));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void model_oneSettingChanged_isNotEqual(String setting, Knobs changed) {
        assertThat(model(changed)).isNotEqualTo(model(BASE));
    }

    @Test
    void subService_healthCheckChanged_isNotEqual_builtAlike_isEqual() {
        SubService a = SubService.builder("owa").asDefault().realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .healthCheck(HealthCheck.http().path("/owa/healthcheck.htm").build()).build();
        SubService same = SubService.builder("owa").asDefault().realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .healthCheck(HealthCheck.http().path("/owa/healthcheck.htm").build()).build();
        SubService other = SubService.builder("owa").asDefault().realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .healthCheck(HealthCheck.http().path("/ews/healthcheck.htm").build()).build();
        SubService none = SubService.builder("owa").asDefault().realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .build();

        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a).isNotEqualTo(other).isNotEqualTo(none);
    }
}
