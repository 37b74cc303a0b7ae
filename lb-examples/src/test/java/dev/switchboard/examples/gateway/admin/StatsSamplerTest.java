package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Health;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Protocol;
import dev.switchboard.engine.DispatchEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The sampler over a real engine, timed by a clock the test moves. */
class StatsSamplerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final DispatchEngine engine = DispatchEngine.create(model(true));
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final StatsSampler sampler = new StatsSampler(new MovingClock(now), engine::stats, Duration.ofSeconds(1));

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void rates_perServerSubServiceAndVirtualService_fromRealDispatches() {
        sampler.run();
        for (int s = 1; s <= 3; s++) {
            serve("/owa/a", s * 10, 200);
            serve("/ews/a", 2, 503);
            tick(1);
        }

        assertThat(rate(new SampleKey("mail", "owa", "ex01"))).isCloseTo(30.0, within(1e-9));
        assertThat(rate(SampleKey.of("mail", "owa"))).isCloseTo(30.0, within(1e-9));
        assertThat(rate(SampleKey.of("mail"))).isCloseTo(32.0, within(1e-9));
        assertThat(sampler.findRates(SampleKey.of("mail", "ews")).orElseThrow().currentErrorRate())
                .isCloseTo(2.0, within(1e-9));
        assertThat(sampler.findRates(SampleKey.of("mail", "owa")).orElseThrow().maxRateLastMinute(now.get()))
                .isCloseTo(30.0, within(1e-9));
        assertThat(sampler.findRates(SampleKey.of("mail")).orElseThrow().sparkline(now.get()))
                .singleElement().satisfies(p -> assertThat(p.requests()).isCloseTo(22.0, within(1e-9)));
    }

    @Test
    void since_firstSightingThenTheObservedChange() {
        sampler.run();
        SampleKey ex01 = new SampleKey("mail", "owa", "ex01");
        assertThat(sampler.findSince(ex01).orElseThrow()).isEqualTo(new StatsSampler.Since("up", T0, false));
        tick(5);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "status 503");
        tick(7);

        assertThat(sampler.findSince(ex01).orElseThrow())
                .isEqualTo(new StatsSampler.Since("down", T0.plusSeconds(12), true));
        assertThat(sampler.findSince(SampleKey.of("mail", "owa")).orElseThrow().state())
                .isEqualTo(engine.stats().virtualServices().get(0).subServices().get(0).state());
    }

    @Test
    void reconfiguration_dropsTheEntriesWhoseNamesWent_andKeepsTheOthers() {
        serve("/ews/a", 5, 200);
        sampler.run();
        tick(1);
        assertThat(sampler.size()).isEqualTo(5); // mail, owa, owa/ex01, ews, ews/ex02

        engine.reconfigure(model(false));
        tick(1);

        assertThat(sampler.findRates(SampleKey.of("mail", "ews"))).isEmpty();
        assertThat(sampler.findRates(new SampleKey("mail", "ews", "ex02"))).isEmpty();
        assertThat(sampler.findSince(new SampleKey("mail", "ews", "ex02"))).isEmpty();
        assertThat(sampler.findRates(SampleKey.of("mail", "owa"))).isPresent();
        assertThat(sampler.size()).isEqualTo(3);
    }

    @Test
    void memory_staysBoundedOverHoursOfSamples() {
        for (int s = 0; s < 4 * 3_600; s++) {
            serve("/owa/a", 1, 200);
            tick(1);
        }
        RateHistory owa = sampler.findRates(SampleKey.of("mail", "owa")).orElseThrow();
        assertThat(owa.sparkline(now.get())).hasSizeLessThanOrEqualTo(91);
        assertThat(owa.maxRateLastMinute(now.get())).isCloseTo(1.0, within(1e-9));
        assertThat(sampler.size()).isEqualTo(5);
    }

    private double rate(SampleKey key) {
        return sampler.findRates(key).orElseThrow().currentRate();
    }

    private void tick(int seconds) {
        now.set(now.get().plusSeconds(seconds));
        sampler.run();
    }

    private void serve(String path, int n, int status) {
        for (int i = 0; i < n; i++) {
            Decision d = engine.dispatch("mail", HttpRequest.builder().target(path).authority("mail.test").build());
            ((Decision.Forward) d).release(Outcome.ofStatus(status, 1_000_000));
        }
    }

    private static LoadBalancer model(boolean withEws) {
        VirtualService.Builder vs = VirtualService.builder("mail").listen("127.0.0.1:8443").protocol(Protocol.HTTP)
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                        .realServer(RealServer.of("ex01", "127.0.0.1:9001")).build());
        if (withEws) {
            vs.subService(SubService.builder("ews").asDefault()
                    .realServer(RealServer.of("ex02", "127.0.0.1:9002")).build());
        }
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    /** A clock that reads the instant the test sets. */
    private static final class MovingClock extends Clock {

        private final AtomicReference<Instant> now;

        MovingClock(AtomicReference<Instant> now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
