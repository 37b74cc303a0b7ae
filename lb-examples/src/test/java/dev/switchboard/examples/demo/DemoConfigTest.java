package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.engine.DispatchEngine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    private static DemoFleet fleet;
    private static GatewayConfig config;

    @BeforeAll
    static void build() {
        fleet = DemoFleet.start(0);
        config = DemoConfig.demoConfig(fleet, 18080, 19090);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void demoConfig_buildsOneVirtualServiceWithASubServicePerWorkloadAndADefault() {
        VirtualService mail = config.loadBalancer().findVirtualService("mail").orElseThrow();
        assertThat(mail.listen().toString()).isEqualTo("127.0.0.1:18080");
        assertThat(mail.subServices()).extracting(s -> s.name()).containsExactly("owa", "ews", "mapi",
                "microsoft-server-activesync", "autodiscover", "default");
        assertThat(mail.subServices()).allSatisfy(s -> assertThat(s.realServers()).extracting(r -> r.name())
                .containsExactly("ex01", "ex02", "ex03"));
        assertThat(mail.subServices().get(5).isDefault()).isTrue();
        assertThat(config.listeners()).singleElement().satisfies(l -> assertThat(l.virtualService())
                .isEqualTo("mail"));
        assertThat(config.admin().listen().toString()).isEqualTo("127.0.0.1:19090");
        assertThat(config.admin().enabled()).isTrue();
    }

    @Test
    void demoConfig_hasAnHttpHealthCheckPerWorkload() {
        assertThat(checked(config)).extracting(SubService::name).containsExactly("owa", "ews", "mapi",
                "microsoft-server-activesync", "autodiscover");
        for (SubService b : checked(config)) {
            HealthCheck check = b.findHealthCheck().orElseThrow();
            assertThat(check.type()).isEqualTo(HealthCheck.Type.HTTP);
            assertThat(check.path().toLowerCase()).isEqualTo("/" + b.name() + "/healthcheck.htm");
            assertThat(check.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(check.rise()).isEqualTo(2);
            assertThat(check.fall()).isEqualTo(2);
        }
    }

    @Test
    void demoModel_switchesContent_rewritesRoot_andPersistsPerWorkload() throws Exception {
        try (DispatchEngine engine = DispatchEngine.create(config.loadBalancer())) {
            for (SubService sub : checked(config)) { // servers of a checked sub-service start down: passing probes
                sub.realServers().forEach(rs -> engine.setHealth("mail", sub.name(), rs.name(), Health.UP, "ok"));
            }
            Decision.Forward root = forward(engine, "/", "192.0.2.1");
            assertThat(root.target().subService()).isEqualTo("owa");
            assertThat(root.path()).isEqualTo("/owa");
            assertThat(forward(engine, "/EWS/Exchange.asmx", "192.0.2.1").target().subService()).isEqualTo("ews");
            assertThat(forward(engine, "/microsoft-server-activesync?Cmd=Sync", "192.0.2.1").target().subService())
                    .isEqualTo("microsoft-server-activesync");
            assertThat(forward(engine, "/ecp/", "192.0.2.1").target().subService()).isEqualTo("default");

            Decision.Forward owa = forward(engine, "/owa/", "192.0.2.1");
            assertThat(owa.onResponse(ResponseView.ofStatus(200))).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("Set-Cookie");
                assertThat(e.value()).startsWith("SBSRV=").contains("Max-Age=2700");
            });
            String ews = forward(engine, "/ews/a", "192.0.2.44").target().server();
            for (int i = 0; i < 5; i++) {
                assertThat(forward(engine, "/ews/b" + i, "192.0.2.44").target().server()).isEqualTo(ews);
            }
        }
    }

    private static Decision.Forward forward(DispatchEngine engine, String target, String source) throws Exception {
        Decision d = engine.dispatch("mail", HttpRequest.builder().scheme("http").authority("mail.example.test")
                .target(target).source(InetAddress.getByName(source)).build());
        assertThat(d).isInstanceOf(Decision.Forward.class);
        Decision.Forward f = (Decision.Forward) d;
        f.release(Outcome.ofStatus(200, 1_000));
        return f;
    }

    @Test
    void healthBindings_nameSubServicesOfTheModel() {
        List<String> subs = config.loadBalancer().findVirtualService("mail").orElseThrow().subServices().stream()
                .map(s -> s.name()).toList();
        assertThat(checked(config)).allSatisfy(b -> assertThat(subs).contains(b.name()));
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
