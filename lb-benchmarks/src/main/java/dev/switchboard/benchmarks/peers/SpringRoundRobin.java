package dev.switchboard.benchmarks.peers;

import com.linecorp.armeria.client.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Spring Cloud LoadBalancer 4.2.1's {@code RoundRobinLoadBalancer}, run without a Spring context: the
 * {@code ObjectProvider} and {@code ServiceInstanceListSupplier} it asks for are given by hand (a fixed list,
 * {@code Flux.just(instances)}, the way a static {@code SimpleDiscoveryClient} supplies them), the starting
 * position is 0 instead of {@code new Random().nextInt(1000)}, and a pick is
 * {@code balancer.choose(request).block().getServer()}: the reactive call a Spring client makes per request,
 * subscribed synchronously. Each instance carries the Armeria {@code Endpoint} it stands for, so the pick returns
 * the same objects as every other {@link PickerType}. Weights are not a notion of this balancer.
 *
 * <p>Thread-safe (the balancer's position is an {@code AtomicInteger}).
 */
final class SpringRoundRobin implements EndpointPicker {

    private static final String SERVICE_ID = "benchmark";

    private final RoundRobinLoadBalancer balancer;
    private final Request<?> request = new DefaultRequest<>();

    SpringRoundRobin(Endpoint[] endpoints) {
        List<ServiceInstance> instances = new ArrayList<>(endpoints.length);
        for (int i = 0; i < endpoints.length; i++) {
            instances.add(new EndpointInstance(i, endpoints[i]));
        }
        Flux<List<ServiceInstance>> fixed = Flux.just(List.copyOf(instances));
        ServiceInstanceListSupplier supplier = new ServiceInstanceListSupplier() {
            @Override
            public String getServiceId() {
                return SERVICE_ID;
            }

            @Override
            public Flux<List<ServiceInstance>> get() {
                return fixed;
            }
        };
        balancer = new RoundRobinLoadBalancer(provider(supplier), SERVICE_ID, 0);
        if (pick() == null) {
            throw new IllegalStateException("RoundRobinLoadBalancer chose nothing from a fixed list");
        }
    }

    @Override
    public Object pick() {
        Response<ServiceInstance> response = balancer.choose(request).block();
        return response == null || !response.hasServer() ? null
                : ((EndpointInstance) response.getServer()).endpoint;
    }

    /** What a Spring context would inject: a provider that always has this one supplier. */
    private static ObjectProvider<ServiceInstanceListSupplier> provider(ServiceInstanceListSupplier supplier) {
        return new ObjectProvider<>() {
            @Override
            public ServiceInstanceListSupplier getObject() {
                return supplier;
            }

            @Override
            public ServiceInstanceListSupplier getIfAvailable() {
                return supplier;
            }

            @Override
            public ServiceInstanceListSupplier getIfAvailable(Supplier<ServiceInstanceListSupplier> fallback) {
                return supplier;
            }

            @Override
            public ServiceInstanceListSupplier getIfUnique() {
                return supplier;
            }
        };
    }

    /** A service instance that knows the Armeria endpoint it stands for. */
    private static final class EndpointInstance extends DefaultServiceInstance {
        final Endpoint endpoint;

        EndpointInstance(int index, Endpoint endpoint) {
            super(SERVICE_ID + "-" + index, SERVICE_ID, endpoint.host(), endpoint.port(), false);
            this.endpoint = endpoint;
        }
    }
}
