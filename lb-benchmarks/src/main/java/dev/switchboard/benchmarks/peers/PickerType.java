package dev.switchboard.benchmarks.peers;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.endpoint.EndpointSelectionStrategy;
import com.linecorp.armeria.client.endpoint.EndpointSelector;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.benchmarks.dispatch.ArrayServerSet;
import dev.switchboard.engine.internal.schedule.Schedulers;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The implementations compared by {@link PeerPickBenchmark}, each behind an {@link EndpointPicker}: the floor (a
 * plain {@code AtomicInteger}), the peers (Armeria 1.40's {@code EndpointSelectionStrategy}s, Spring Cloud
 * LoadBalancer's {@code RoundRobinLoadBalancer}) and Switchboard's schedulers. Every picker returns the same
 * Armeria {@code Endpoint} objects.
 */
public enum PickerType {

    /** The floor: a plain shared {@link AtomicInteger}, {@code endpoints[floorMod(counter.getAndIncrement(), n)]}. */
    ATOMIC_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            AtomicInteger counter = new AtomicInteger();
            return () -> endpoints[Math.floorMod(counter.getAndIncrement(), endpoints.length)];
        }
    },
    /** Armeria's {@code EndpointSelectionStrategy.roundRobin()} selector, {@code selectNow(ctx)}. */
    ARMERIA_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return armeria(EndpointSelectionStrategy.roundRobin(), endpoints, ctx);
        }
    },
    /** Armeria's {@code EndpointSelectionStrategy.weightedRoundRobin()} selector, {@code selectNow(ctx)}. */
    ARMERIA_WEIGHTED_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return armeria(EndpointSelectionStrategy.weightedRoundRobin(), endpoints, ctx);
        }
    },
    /**
     * Armeria's {@code EndpointSelectionStrategy.rampingUp()} selector (weighted, with slow start for endpoints
     * that join later; here the pool is fixed for the run), {@code selectNow(ctx)}.
     */
    ARMERIA_RAMPING_UP {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return armeria(EndpointSelectionStrategy.rampingUp(), endpoints, ctx);
        }
    },
    /** Spring Cloud LoadBalancer's {@code RoundRobinLoadBalancer} without a Spring context ({@link SpringRoundRobin}). */
    SPRING_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return new SpringRoundRobin(endpoints);
        }
    },
    /** Switchboard's {@link SchedulingMethod#ROUND_ROBIN} scheduler over a fixed pool. */
    SWITCHBOARD_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return switchboard(SchedulingMethod.ROUND_ROBIN, endpoints, weights);
        }
    },
    /** Switchboard's {@link SchedulingMethod#WEIGHTED_ROUND_ROBIN} scheduler over a fixed pool. */
    SWITCHBOARD_WEIGHTED_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return switchboard(SchedulingMethod.WEIGHTED_ROUND_ROBIN, endpoints, weights);
        }
    },
    /**
     * Switchboard's {@link SchedulingMethod#LEAST_CONNECTION} scheduler over a fixed pool (active counts 0..15 from
     * a fixed seed, unchanged during the run: the full scan is what is measured).
     */
    SWITCHBOARD_LEAST_CONNECTION {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return switchboard(SchedulingMethod.LEAST_CONNECTION, endpoints, weights);
        }
    },
    /** Switchboard's {@link SchedulingMethod#LEAST_LOADED} scheduler (power of two weighted random choices). */
    SWITCHBOARD_LEAST_LOADED {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return switchboard(SchedulingMethod.LEAST_LOADED, endpoints, weights);
        }
    };

    private static final long POOL_SEED = 0x5EED_0005L;

    /**
     * A picker over {@code endpoints} (whose weights are already set to {@code weights}).
     *
     * @throws IllegalStateException when the implementation picks nothing from the pool
     */
    abstract EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx);

    /** Whether this is one of Switchboard's schedulers (the others are the peers and the floor). */
    public boolean isSwitchboard() {
        return name().startsWith("SWITCHBOARD_");
    }

    private static EndpointPicker armeria(EndpointSelectionStrategy strategy, Endpoint[] endpoints,
            ClientRequestContext ctx) {
        EndpointGroup group = EndpointGroup.of(List.of(endpoints));
        group.whenReady().join();
        EndpointSelector selector = strategy.newSelector(group);
        if (selector.selectNow(ctx) == null) {
            throw new IllegalStateException(strategy + ": selectNow returned null for a ready group");
        }
        return () -> selector.selectNow(ctx);
    }

    private static EndpointPicker switchboard(SchedulingMethod method, Endpoint[] endpoints, int[] weights) {
        ArrayServerSet servers = ArrayServerSet.of(weights, POOL_SEED);
        Scheduler scheduler = Schedulers.factory(method).create(servers);
        if (scheduler.pick(servers, 0L) == Scheduler.NONE) {
            throw new IllegalStateException(method + " picked nothing from an all-eligible pool");
        }
        return () -> endpoints[scheduler.pick(servers, 0L)];
    }
}
