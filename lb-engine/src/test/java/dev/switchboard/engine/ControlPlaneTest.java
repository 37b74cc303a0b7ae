package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.SubServiceStateEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane has one writer at a time and calls the {@link EngineListener} outside its lock: a slow
 * listener holds up no other change, events arrive in the order of the changes, and a listener may call back into
 * the engine without its events overtaking the one being handled.
 */
class ControlPlaneTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private DispatchEngine engine;

    @AfterEach
    void close() {
        threads.shutdownNow();
        engine.close();
    }

    /** Sub-services "owa" (ex01) and "ews" (ex02, the default), each down when its one server is. */
    private void start(Consumer<SubServiceStateEvent> onState) {
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa")).minHealthyServers(1)
                        .realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                .subService(SubService.builder("ews").asDefault().minHealthyServers(1)
                        .realServer(RealServer.of("ex02", "10.0.0.2:443")).build())
                .build()).build();
        engine = DispatchEngine.builder(model).listener(new EngineListener() {
            @Override
            public void onSubServiceState(SubServiceStateEvent event) {
                onState.accept(event);
            }
        }).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released within 10 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void setHealth_whileListenerBusyWithEarlierEvent_appliesAtOnce_andItsEventFollowsInOrder() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        start(event -> {
            seen.add(event.subService() + " " + event.state());
            if (event.subService().equals("owa")) {
                entered.countDown();
                await(proceed);
            }
        });
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(
                () -> engine.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/: 503"), threads);
        await(entered);

        Boolean second = CompletableFuture.supplyAsync(
                () -> engine.setHealth("mail", "ews", "ex02", Health.DOWN, "timeout"), threads)
                .get(10, TimeUnit.SECONDS); // with the listener inside the lock this would wait for the listener

        assertThat(second).isTrue();
        assertThat(engine.stats().findRealServer("mail", "ews", "ex02").orElseThrow().health())
                .isEqualTo(Health.DOWN);
        assertThat(seen).as("the second event waits for the first handler").containsExactly("owa down");
        proceed.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("owa down", "ews down");
    }

    @Test
    void listener_callingBackIntoEngine_changesAtOnce_andItsEventFollowsTheOneHandled() {
        start(event -> {
            seen.add("begin " + event.subService() + " " + event.state());
            if (event.subService().equals("owa") && event.state().equals("down")) {
                boolean known = engine.setHealth("mail", "ews", "ex02", Health.DOWN, "owa is down, so is ews");
                seen.add("ews changed: " + known + ", ex02 " + engine.stats()
                        .findRealServer("mail", "ews", "ex02").orElseThrow().health().configName());
            }
            seen.add("end " + event.subService());
        });

        assertThat(engine.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/: 503")).isTrue();

        assertThat(seen).containsExactly("begin owa down", "ews changed: true, ex02 down", "end owa",
                "begin ews down", "end ews");
        assertThat(respond(engine.dispatch("mail", get("/ews/"))).status())
                .as("ews, down through the listener's call, answers 503").isEqualTo(503);
    }
}
