package dev.switchboard.examples.config;

import dev.switchboard.api.AuthMode;
import dev.switchboard.config.ConfigCheck;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.settings.Timeouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.HealthCheck;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample configuration files shipped in lb-examples' resources. */
class SampleFilesTest {

    private static Path resource(String name) throws Exception {
        return Path.of(SampleFilesTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void mailSample_read_fiveWorkloadsAndDefaultOnTwoServers() throws Exception {
        GatewayConfig config = GatewayConfigReader.read(resource("mail.json"));
        VirtualService mail = config.loadBalancer().findVirtualService("mail").orElseThrow();
        assertThat(mail.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(mail.listen()).isEqualTo(Address.parse("127.0.0.1:8080"));
        assertThat(mail.subServices()).extracting(SubService::name)
                .containsExactly("owa", "ews", "mapi", "activesync", "autodiscover", "other");
        List<ContentRule> rules = mail.subServices().stream().filter(s -> !s.isDefault())
                .map(s -> s.match().rules().get(0)).toList();
        assertThat(rules).extracting(ContentRule::value).containsExactly("/owa", "/ews", "/mapi",
                "/Microsoft-Server-ActiveSync", "/autodiscover");
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(MatchType.PREFIX);
            assertThat(r.isIgnoreCase()).isTrue();
        });
        assertThat(mail.subServices()).allSatisfy(s -> assertThat(s.realServers()).extracting(RealServer::address)
                .containsExactly(Address.parse("127.0.0.1:9101"), Address.parse("127.0.0.1:9102")));
        assertThat(mail.scheduling().findMethod()).contains(SchedulingMethod.WEIGHTED_LEAST_CONNECTION);
        assertThat(mail.requestRules()).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo("/owa/"));
    }

    @Test
    void mailSample_read_activeCookieOnOwaOnlyFor45Minutes() throws Exception {
        VirtualService mail = GatewayConfigReader.read(resource("mail.json")).loadBalancer()
                .findVirtualService("mail").orElseThrow();
        assertThat(mail.persistence().mode()).isEqualTo(PersistenceMode.NONE);
        SubService owa = mail.subServices().get(0);
        assertThat(owa.findPersistence()).hasValueSatisfying(p -> {
            assertThat(p.mode()).isEqualTo(PersistenceMode.ACTIVE_COOKIE);
            assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(45));
            assertThat(p.cookieName()).isEqualTo("SBSRV");
        });
        assertThat(mail.subServices().subList(1, 6)).allSatisfy(s -> assertThat(s.findPersistence()).isEmpty());
    }

    @Test
    void mailSample_read_perWorkloadHealthChecks() throws Exception {
        GatewayConfig config = GatewayConfigReader.read(resource("mail.json"));
        assertThat(checked(config)).extracting(SubService::name)
                .containsExactly("owa", "ews", "mapi", "activesync", "autodiscover");
        assertThat(checked(config)).extracting(b -> b.findHealthCheck().orElseThrow().path())
                .containsExactly("/owa/healthcheck.htm", "/ews/healthcheck.htm", "/mapi/healthcheck.htm",
                        "/Microsoft-Server-ActiveSync/healthcheck.htm", "/autodiscover/healthcheck.htm");
        assertThat(checked(config)).extracting(b -> b.findHealthCheck().orElseThrow().type())
                .containsOnly(HealthCheck.Type.HTTP);
    }

    @Test
    void mailSample_read_redirectorAdminAndLongTimeouts() throws Exception {
        GatewayConfig config = GatewayConfigReader.read(resource("mail.json"));
        VirtualService redirector = config.loadBalancer().findVirtualService("http-to-https").orElseThrow();
        assertThat(redirector.findRedirect()).contains(new Redirect("https", "", 8443, 301));
        assertThat(config.admin().listen()).isEqualTo(Address.parse("127.0.0.1:9000"));
        ListenerSettings mail = config.findListener("mail").orElseThrow();
        assertThat(mail.timeouts().firstByte()).isEqualTo(Duration.ofMinutes(60));
        assertThat(mail.timeouts().connect()).isEqualTo(Timeouts.DEFAULTS.connect());
        assertThat(mail.findTls()).isEmpty();
    }

    @Test
    void roundRobinSample_read_twoServersRoundRobin() throws Exception {
        GatewayConfig config = GatewayConfigReader.read(resource("round-robin.json"));
        assertThat(config.admin().enabled()).isFalse();
        VirtualService web = config.loadBalancer().virtualServices().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.scheduling().findMethod()).contains(SchedulingMethod.ROUND_ROBIN);
        assertThat(web.subServices()).singleElement().satisfies(s -> {
            assertThat(s.isDefault()).isTrue();
            assertThat(s.realServers()).extracting(r -> r.name() + "@" + r.address())
                    .containsExactly("web1@127.0.0.1:9101", "web2@127.0.0.1:9102");
        });
        assertThat(checked(config)).isEmpty();
    }

    @Test
    void exchangePreauthSample_read_formOwaBasicActiveSyncExemptAutodiscover() throws Exception {
        GatewayConfig config = GatewayConfigReader.read(resource("exchange-preauth.json"));
        VirtualService mail = config.loadBalancer().virtualServices().get(0);
        assertThat(mail.auth().mode()).isEqualTo(AuthMode.FORM);
        assertThat(mail.auth().exempt()).containsExactly("/owa/auth/");
        assertThat(mail.subServices()).extracting(s -> s.name() + ":" + s.findAuth()
                .map(p -> p.mode().configName()).orElse("inherited"))
                .containsExactly("autodiscover:none", "activesync:basic", "owa:inherited");
        assertThat(config.ldap().enabled()).isTrue();
        assertThat(config.ldap().userFilter()).isEqualTo("(uid={user})");
        assertThat(config.loadBalancer().findAuthentication().orElseThrow().findSso().orElseThrow().domain())
                .isEqualTo("mail.example.test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ConfigCheck.check(resource("exchange-preauth.json"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("ok: 1 virtual service");
    }

    @Test
    void samples_check_exitZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(ConfigCheck.check(resource("mail.json"), print, System.err)).isZero();
        assertThat(ConfigCheck.check(resource("round-robin.json"), print, System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("ok: 2 virtual services", "ok: 1 virtual service");
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
