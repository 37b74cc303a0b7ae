package dev.switchboard.config;

import dev.switchboard.netty.settings.ExpectContinue;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.settings.Timeouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderAction;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.StatusRange;
import dev.switchboard.tls.UpstreamTlsConfig;

import dev.switchboard.tls.testing.TestPki;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example file of the gateway contract, read with certificates written next to it at test time. */
class ContractExampleTest {

    @TempDir
    Path dir;

    private GatewayConfig config;

    @BeforeEach
    void readContractExample() throws Exception {
        TestPki.selfSigned("mail.example.test")
                .writeCertificateAndKey(dir.resolve("mail.pem"), dir.resolve("mail.key"));
        TestPki.selfSigned("owa.example.test").writeCertificateAndKey(dir.resolve("owa.pem"), dir.resolve("owa.key"));
        Path file = dir.resolve("gateway.json");
        try (InputStream in = getClass().getResourceAsStream("/config/contract-example.json")) {
            Files.write(file, in.readAllBytes());
        }
        config = GatewayConfigReader.read(file);
    }

    @Test
    void contractExample_read_hasAdminAndThreeVirtualServices() {
        assertThat(config.admin().enabled()).isTrue();
        assertThat(config.admin().listen()).isEqualTo(Address.parse("127.0.0.1:9000"));
        assertThat(config.admin().requiresToken()).isFalse();
        assertThat(config.loadBalancer().virtualServices()).extracting(VirtualService::name)
                .containsExactly("mail", "http-to-https", "imap");
        assertThat(config.listeners()).extracting(ListenerSettings::virtualService)
                .containsExactly("mail", "http-to-https", "imap");
    }

    @Test
    void contractExample_mailVirtualService_mapsEveryKey() {
        VirtualService mail = config.loadBalancer().findVirtualService("mail").orElseThrow();
        assertThat(mail.listen()).isEqualTo(Address.parse("127.0.0.1:8443"));
        assertThat(mail.protocol()).isEqualTo(Protocol.HTTPS);
        assertThat(mail.scheduling().findMethod()).contains(SchedulingMethod.WEIGHTED_LEAST_CONNECTION);
        assertThat(mail.slowStart()).isEqualTo(Duration.ofSeconds(30));
        Persistence p = mail.persistence();
        assertThat(p.mode()).isEqualTo(PersistenceMode.ACTIVE_COOKIE);
        assertThat(p.cookieName()).isEqualTo("SBSRV");
        assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(p.fallback()).isEqualTo(PersistenceMode.SOURCE_IP);
        assertThat(mail.requestRules()).hasSize(2);
        assertThat(mail.requestRules().get(0).action()).isEqualTo(HeaderAction.REWRITE_PATH);
        assertThat(mail.requestRules().get(0).pattern()).isEqualTo("^/$");
        assertThat(mail.requestRules().get(0).value()).isEqualTo("/owa");
        assertThat(mail.requestRules().get(1).action()).isEqualTo(HeaderAction.SET_HEADER);
        assertThat(mail.requestRules().get(1).header()).isEqualTo("X-Gateway");
        assertThat(mail.responseRules()).singleElement()
                .satisfies(r -> assertThat(r.toString()).isEqualTo("remove-header Server"));
        assertThat(mail.findSorryServer()).contains(Address.parse("127.0.0.1:9099"));
    }

    @Test
    void contractExample_mailSubServices_haveRulesPoolsAndPersistence() {
        List<SubService> subs = config.loadBalancer().findVirtualService("mail").orElseThrow().subServices();
        assertThat(subs).extracting(SubService::name).containsExactly("owa", "ews", "default");
        ContentRule owa = subs.get(0).match().rules().get(0);
        assertThat(owa.target()).isEqualTo(MatchTarget.PATH);
        assertThat(owa.type()).isEqualTo(MatchType.PREFIX);
        assertThat(owa.value()).isEqualTo("/owa");
        assertThat(owa.isIgnoreCase()).isTrue();
        assertThat(subs.get(0).realServers()).extracting(r -> r.name() + "@" + r.address() + "/" + r.weight())
                .containsExactly("ex01@127.0.0.1:9001/1", "ex02@127.0.0.1:9002/1");
        assertThat(subs.get(1).match().rules().get(0).type()).isEqualTo(MatchType.REGEX);
        Persistence ews = subs.get(1).findPersistence().orElseThrow();
        assertThat(ews.mode()).isEqualTo(PersistenceMode.SOURCE_IP);
        assertThat(ews.sourceIpMask()).isEqualTo(32);
        assertThat(ews.timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(subs.get(2).isDefault()).isTrue();
        assertThat(subs.get(2).match().isAlways()).isTrue();
    }

    @Test
    void contractExample_healthChecks_boundPerSubService() {
        assertThat(checked(config)).extracting(SubService::name).containsExactly("owa", "ews");
        HealthCheck owa = checked(config).get(0).findHealthCheck().orElseThrow();
        assertThat(owa.type()).isEqualTo(HealthCheck.Type.HTTP);
        assertThat(owa.path()).isEqualTo("/owa/healthcheck.htm");
        assertThat(owa.expectedStatuses()).containsExactly(StatusRange.of(200));
        assertThat(owa.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(owa.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(owa.rise()).isEqualTo(2);
        assertThat(owa.fall()).isEqualTo(2);
        assertThat(checked(config).get(1).findHealthCheck().orElseThrow().path()).isEqualTo("/ews/healthcheck.htm");
    }

    @Test
    void contractExample_mailListener_hasTlsWithSniAndUpstreamTrust() {
        ListenerSettings mail = config.findListener("mail").orElseThrow();
        assertThat(mail.findTls()).hasValueSatisfying(tls -> {
            assertThat(tls.certificates().select("owa.example.test").dnsNames()).containsExactly("owa.example.test");
            assertThat(tls.certificates().select("other.example.test").dnsNames())
                    .containsExactly("mail.example.test");
        });
        assertThat(mail.findUpstreamTls()).map(UpstreamTlsConfig::trust).contains(UpstreamTlsConfig.Trust.SYSTEM_ROOTS);
        assertThat(mail.expectContinue()).isEqualTo(ExpectContinue.RFC7231);
        assertThat(mail.forwardedHeaders()).isTrue();
        assertThat(mail.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(mail.limits()).isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void contractExample_redirectorAndTcp_mapped() {
        VirtualService redirector = config.loadBalancer().findVirtualService("http-to-https").orElseThrow();
        assertThat(redirector.findRedirect()).contains(new Redirect("https", "", 8443, 301));
        assertThat(redirector.subServices()).isEmpty();
        assertThat(config.findListener("http-to-https").orElseThrow().findTls()).isEmpty();
        VirtualService imap = config.loadBalancer().findVirtualService("imap").orElseThrow();
        assertThat(imap.protocol()).isEqualTo(Protocol.TCP);
        assertThat(imap.scheduling().findMethod()).contains(SchedulingMethod.ROUND_ROBIN);
        assertThat(imap.persistence().mode()).isEqualTo(PersistenceMode.SSL_SESSION_ID);
        assertThat(imap.persistence().fallback()).isEqualTo(PersistenceMode.SOURCE_IP);
        assertThat(imap.subServices()).singleElement().satisfies(s -> {
            assertThat(s.isDefault()).isTrue();
            assertThat(s.realServers()).extracting(r -> r.address().toString()).containsExactly("127.0.0.1:9931");
        });
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
