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

/** The implementations compared by {@link PeerPickBenchmark}, each behind an {@link EndpointPicker}. */
public enum PickerType {

    /** A plain shared {@link AtomicInteger}: {@code endpoints[floorMod(counter.getAndIncrement(), n)]}. */
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
            return armeria(EndpointSelectionStrategy.roundRobin(), endpoints, weights, ctx);
        }
    },
    /** Armeria's {@code EndpointSelectionStrategy.weightedRoundRobin()} selector, {@code selectNow(ctx)}. */
    ARMERIA_WEIGHTED_ROUND_ROBIN {
        @Override
        EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx) {
            return armeria(EndpointSelectionStrategy.weightedRoundRobin(), endpoints, weights, ctx);
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
    };

    private static final long POOL_SEED = 0x5EED_0005L;

    /**
     * A picker over {@code endpoints} (whose weights are already set to {@code weights}).
     *
     * @throws IllegalStateException when the implementation picks nothing from the pool
     */
    abstract EndpointPicker create(Endpoint[] endpoints, int[] weights, ClientRequestContext ctx);

    private static EndpointPicker armeria(EndpointSelectionStrategy strategy, Endpoint[] endpoints, int[] weights,
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
