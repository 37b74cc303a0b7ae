package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every HTTP persistence mode through the running gateway, against three real servers scheduled round robin. */
class GatewayPersistenceTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }

    private void start(Persistence persistence) {
        SubService.Builder pool = SubService.builder("pool").asDefault().persistence(persistence);
        fleet.hosts().forEach(h -> pool.realServer(RealServer.of(h, fleet.address(h))));
        VirtualService app = VirtualService.builder("app").listen("127.0.0.1:0").protocol(Protocol.HTTP)
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(pool.build()).build();
        gateway = Gateway.start(new GatewayConfig(AdminSettings.none(), LoadBalancer.builder().virtualService(app)
                .build(), List.of(ListenerSettings.builder("app", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                .accessLog(false).build())));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://"
                + Gateway.hostPort(gateway.address("app")) + path)).timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> servers(int requests, String path, String... headers) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(get(path, headers).headers().firstValue("X-Served-By").orElseThrow());
        }
        return seen;
    }

    @Test
    void none_spreadsOverEveryServer() throws Exception {
        start(Persistence.NONE);
        assertThat(servers(6, "/x")).hasSize(3);
    }

    @Test
    void sourceIp_keepsTheClientOnOneServer() throws Exception {
        start(Persistence.builder(PersistenceMode.SOURCE_IP).sourceIpMask(24).build());
        assertThat(servers(6, "/x")).hasSize(1);
    }

    @Test
    void activeCookie_insertedOnce_thenTheClientSticks() throws Exception {
        start(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).cookieName("SBSRV").build());
        HttpResponse<String> first = get("/x");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("SBSRV=").contains("HttpOnly");
        String home = first.headers().firstValue("X-Served-By").orElseThrow();
        assertThat(servers(6, "/x", "Cookie", cookie.split(";")[0])).containsExactly(home);
        assertThat(servers(6, "/x", "Cookie", "SBSRV=forged")).hasSizeGreaterThan(1);
    }

    @Test
    void serverCookie_learnedFromTheApplication_thenTheClientSticks() throws Exception {
        start(Persistence.builder(PersistenceMode.SERVER_COOKIE).cookieName("JSESSIONID").build());
        HttpResponse<String> login = get("/x?login");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String home = login.headers().firstValue("X-Served-By").orElseThrow();
        assertThat(servers(6, "/x", "Cookie", cookie)).containsExactly(home);
    }

    @Test
    void header_sameValueSameServer() throws Exception {
        start(Persistence.builder(PersistenceMode.HEADER).header("X-User").build());
        assertThat(servers(6, "/x", "X-User", "alice")).hasSize(1);
        assertThat(servers(6, "/x")).hasSize(3);
    }

    @Test
    void urlHash_samePathSameServer_pathsSpread() throws Exception {
        start(Persistence.of(PersistenceMode.URL_HASH));
        assertThat(servers(5, "/docs/a")).hasSize(1);
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            spread.addAll(servers(1, "/docs/" + i));
        }
        assertThat(spread).hasSize(3);
    }

    @Test
    void queryParam_sameValueSameServer() throws Exception {
        start(Persistence.builder(PersistenceMode.QUERY_PARAM).param("user").build());
        assertThat(servers(6, "/x?user=bob&n=1")).hasSize(1);
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            spread.addAll(servers(1, "/x?user=u" + i));
        }
        assertThat(spread).hasSize(3);
    }
}
