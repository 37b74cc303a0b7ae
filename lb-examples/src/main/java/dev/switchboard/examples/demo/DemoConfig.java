package dev.switchboard.examples.demo;

import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.api.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's gateway configuration over a {@link DemoFleet}, built with the fluent API: one virtual service
 * {@code mail} (plain HTTP on 127.0.0.1) with
 * <ul>
 *   <li>a sub-service per workload chosen by an ignore-case path prefix ({@code /owa}, {@code /ews}, {@code /mapi},
 *       {@code /Microsoft-Server-ActiveSync}, {@code /autodiscover}), each balancing over ex01..ex03 by weighted
 *       least connection with its own HTTP health check ({@code /<workload>/healthcheck.htm}, every second,
 *       rise 2, fall 2);</li>
 *   <li>{@code /} rewritten to {@code /owa} before content switching;</li>
 *   <li>persistence: an inserted cookie for 45 minutes on {@code owa}, source IP on {@code ews}, none on the
 *       others;</li>
 *   <li>a default sub-service for every other path (all three hosts, which answer 404 themselves);</li>
 * </ul>
 * and the admin API on 127.0.0.1:{@code adminPort} without a token (loopback only).
 *
 * <pre>{@code
 * DemoFleet fleet = DemoFleet.start(9000);
 * GatewayConfig config = DemoConfig.demoConfig(fleet, 8080, 9090);
 * }</pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class DemoConfig {

    /** The virtual service's name. */
    public static final String VIRTUAL_SERVICE = "mail";

    /** How often each workload is probed. */
    public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);

    private DemoConfig() {
    }

    /**
     * The configuration of a gateway on 127.0.0.1:{@code gatewayPort} in front of {@code fleet}.
     *
     * @throws dev.switchboard.api.ConfigurationException when the model does not validate (a bug here)
     * @throws IllegalArgumentException when a port is outside 0..65535 (0: any free port, where the host binds)
     */
    public static GatewayConfig demoConfig(DemoFleet fleet, int gatewayPort, int adminPort) {
        Address listen = Address.of("127.0.0.1", gatewayPort);
        Map<String, Address> hosts = fleet.addresses();
        VirtualService.Builder mail = VirtualService.builder(VIRTUAL_SERVICE).listen(listen).protocol(Protocol.HTTP)
                .scheduling(SchedulingMethod.WEIGHTED_LEAST_CONNECTION)
                .requestRule(HeaderRule.rewritePath("^/$", "/owa"));
        for (String workload : DemoFleet.WORKLOADS) {
            String name = subServiceName(workload);
            mail.subService(SubService.builder(name)
                    .matchAny(ContentRule.pathPrefix("/" + workload).ignoreCase())
                    .realServers(realServers(hosts))
                    .persistence(persistence(name))
                    .healthCheck(healthCheck(workload))
                    .build());
        }
        mail.subService(SubService.builder("default").asDefault().realServers(realServers(hosts)).build());
        LoadBalancer model = LoadBalancer.builder().virtualService(mail.build()).build();
        ListenerSettings listener = ListenerSettings.builder(VIRTUAL_SERVICE, listen, Protocol.HTTP).build();
        return new GatewayConfig(AdminSettings.of(Address.of("127.0.0.1", adminPort), ""), model, List.of(listener));
    }

    /** The sub-service of a workload: its name in lower case ({@code microsoft-server-activesync}). */
    public static String subServiceName(String workload) {
        return workload.toLowerCase(Locale.ROOT);
    }

    private static List<RealServer> realServers(Map<String, Address> hosts) {
        List<RealServer> servers = new ArrayList<>();
        hosts.forEach((name, address) -> servers.add(RealServer.builder(name, address).build()));
        return servers;
    }

    private static Persistence persistence(String subService) {
        return switch (subService) {
            case "owa" -> Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(45)).build();
            case "ews" -> Persistence.builder(PersistenceMode.SOURCE_IP).sourceIpMask(32)
                    .timeout(Duration.ofMinutes(45)).build();
            default -> Persistence.NONE;
        };
    }

    private static HealthCheck healthCheck(String workload) {
        return HealthCheck.http().path("/" + workload + "/healthcheck.htm").expectStatus(200)
                .interval(HEALTH_INTERVAL).rise(2).fall(2).build();
    }
}
