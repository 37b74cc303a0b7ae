package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

    private DispatchEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    private void engine(int maxConnections, int queueCapacity, Duration queueTimeout) {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").asDefault().queue(queueCapacity, queueTimeout)
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").maxConnections(maxConnections).build())
                        .build())
                .build()).build());
    }

    private int active() {
        return engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().activeConnections();
    }

    @Test
    void limitReached_requestWaits_andGetsTheSlotWhenOneFrees() throws Exception {
        engine(1, 10, Duration.ofSeconds(30));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        Decision second = engine.dispatch("mail", get("/b"));
        assertThat(second).isInstanceOf(Decision.Queued.class);
        var future = ((Decision.Queued) second).future();
        assertThat(future).isNotDone();
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).waiting()).isEqualTo(1);
        first.release(Outcome.ofStatus(200, 0));
        Decision.Forward served = forward(future.get(5, TimeUnit.SECONDS));
        assertThat(served.path()).isEqualTo("/b");
        assertThat(active()).isEqualTo(1);
        served.release(Outcome.ofStatus(200, 0));
        assertThat(active()).isZero();
    }

    @Test
    void explain_whenEveryServerIsAtItsLimit_saysTheRequestWouldWait_andQueuesNothing() {
        engine(1, 10, Duration.ofSeconds(30));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        DecisionTrace trace = engine.explain("mail", get("/b"));
        assertThat(trace.decision()).isInstanceOf(Decision.Queued.class);
        assertThat(String.join("\n", trace.steps())).contains("would wait in the queue").doesNotContain("503");
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).waiting()).isZero();
        first.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void queueTimeout_answers503() throws Exception {
        engine(1, 10, Duration.ofMillis(50));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        var future = ((Decision.Queued) engine.dispatch("mail", get("/b"))).future();
        Decision.Respond r = respond(future.get(5, TimeUnit.SECONDS));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).contains("queue timeout");
        first.release(Outcome.ofStatus(200, 0));
        assertThat(active()).isZero();
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).waiting()).isZero();
    }

    @Test
    void queueFull_answers503AtOnce() {
        engine(1, 1, Duration.ofSeconds(30));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        assertThat(engine.dispatch("mail", get("/b"))).isInstanceOf(Decision.Queued.class);
        Decision.Respond r = respond(engine.dispatch("mail", get("/c")));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).contains("full");
        first.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void queueCapacityZero_answers503WithoutWaiting() {
        engine(1, 0, Duration.ofSeconds(30));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        assertThat(respond(engine.dispatch("mail", get("/b"))).status()).isEqualTo(503);
        first.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void cancelledWaiter_isSkipped_andNoSlotIsLost() throws Exception {
        engine(1, 10, Duration.ofSeconds(30));
        Decision.Forward first = forward(engine.dispatch("mail", get("/a")));
        var cancelled = ((Decision.Queued) engine.dispatch("mail", get("/b"))).future();
        var waiting = ((Decision.Queued) engine.dispatch("mail", get("/c"))).future();
        cancelled.cancel(false);
        first.release(Outcome.ofStatus(200, 0));
        Decision.Forward served = forward(waiting.get(5, TimeUnit.SECONDS));
        assertThat(served.path()).isEqualTo("/c");
        served.release(Outcome.ofStatus(200, 0));
        assertThat(active()).isZero();
    }

    @Test
    void manyWaiters_areServedInOrderAsSlotsFree() throws Exception {
        engine(2, 50, Duration.ofSeconds(30));
        Decision.Forward a = forward(engine.dispatch("mail", get("/a")));
        Decision.Forward b = forward(engine.dispatch("mail", get("/b")));
        var w1 = ((Decision.Queued) engine.dispatch("mail", get("/w1"))).future();
        var w2 = ((Decision.Queued) engine.dispatch("mail", get("/w2"))).future();
        var w3 = ((Decision.Queued) engine.dispatch("mail", get("/w3"))).future();
        a.release(Outcome.ofStatus(200, 0));
        assertThat(forward(w1.get(5, TimeUnit.SECONDS)).path()).isEqualTo("/w1");
        assertThat(w2).isNotDone();
        b.release(Outcome.ofStatus(200, 0));
        assertThat(forward(w2.get(5, TimeUnit.SECONDS)).path()).isEqualTo("/w2");
        forward(w1.get()).release(Outcome.ofStatus(200, 0));
        forward(w3.get(5, TimeUnit.SECONDS)).release(Outcome.ofStatus(200, 0));
        forward(w2.get()).release(Outcome.ofStatus(200, 0));
        assertThat(active()).isZero();
    }
}
