package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real engines on test members, closed by {@link #close}: virtual service {@code mail} with sub-services {@code owa}
 * (the default) and {@code ews} (path {@code /ews}), round robin over the servers given, source-IP persistence
 * through the member's fleet unless another persistence is given. Not thread-safe.
 */
final class FleetEngines implements AutoCloseable {

    private final List<DispatchEngine> engines = new ArrayList<>();

    DispatchEngine engine(ClusterMember member, String... servers) {
        return engine(member, Persistence.builder(PersistenceMode.SOURCE_IP).build(), servers);
    }

    DispatchEngine engine(ClusterMember member, Persistence persistence, String... servers) {
        VirtualService.Builder vs = VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(persistence);
        for (String sub : List.of("owa", "ews")) {
            SubService.Builder b = SubService.builder(sub);
            b = sub.equals("owa") ? b.asDefault() : b.matchAny(ContentRule.pathPrefix("/ews"));
            for (int i = 0; i < servers.length; i++) {
                b.realServer(RealServer.of(servers[i], "10.0.0." + (i + 1) + ":443"));
            }
            vs.subService(b.build());
        }
        DispatchEngine e = DispatchEngine.builder(LoadBalancer.builder().virtualService(vs.build()).build())
                .fleet(member.fleet()).build();
        engines.add(e);
        return e;
    }

    static AdminState state(DispatchEngine engine, String sub, String server) {
        return engine.stats().findRealServer("mail", sub, server).orElseThrow().state();
    }

    static HttpRequest.Builder request(String client) {
        return HttpRequest.builder().scheme("https").authority("mail.example.com").target("/owa/").source(ip(client));
    }

    /** A lease on owa for {@code client}, not released. */
    static Decision.Forward lease(DispatchEngine engine, String client) {
        Decision d = engine.dispatch("mail", request(client).build());
        assertThat(d).isInstanceOf(Decision.Forward.class);
        return (Decision.Forward) d;
    }

    /** The server owa sends {@code client} to; the lease is released at once. */
    static String visit(DispatchEngine engine, String client) {
        Decision.Forward f = lease(engine, client);
        f.release(Outcome.ofStatus(200, 0));
        return f.target().server();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        engines.forEach(DispatchEngine::close);
    }
}
