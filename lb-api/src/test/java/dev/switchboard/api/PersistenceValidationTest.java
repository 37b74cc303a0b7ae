package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistenceValidationTest {

    private static List<Violation> violations(Protocol protocol, Persistence vsLevel, Persistence subLevel) {
        SubService.Builder sub = SubService.builder("pool").asDefault().realServer(RealServer.of("s1", "10.0.0.1:80"));
        if (subLevel != null) {
            sub.persistence(subLevel);
        }
        ConfigurationException e = catchThrowableOfType(() -> LoadBalancer.builder().virtualService(
                VirtualService.builder("vs").protocol(protocol).persistence(vsLevel).subService(sub.build()).build())
                .build(), ConfigurationException.class);
        return e == null ? List.of() : e.violations();
    }

    @Test
    void validPersistence_builds() {
        assertThat(violations(Protocol.HTTPS, Persistence.builder(PersistenceMode.ACTIVE_COOKIE)
                .fallback(PersistenceMode.SOURCE_IP).cookieSecret("a-secret-of-16-chars").build(), null)).isEmpty();
        assertThat(violations(Protocol.TCP, Persistence.builder(PersistenceMode.SSL_SESSION_ID)
                .fallback(PersistenceMode.SOURCE_IP).build(), null)).isEmpty();
    }

    @Test
    void everyProblem_isListedWithItsPath() {
        Persistence bad = Persistence.builder(PersistenceMode.ACTIVE_COOKIE).fallback(PersistenceMode.SERVER_COOKIE)
                .timeout(Duration.ZERO).sourceIpMask(33).sourceIpMaskV6(-1).maxEntries(0).cookieName("bad name")
                .cookieSameSite("lax").cookiePath("nopath").cookieSecret("short").build();
        assertThat(violations(Protocol.HTTP, bad, null)).extracting(Violation::path).containsExactly(
                "virtualServices[0].persistence.fallback",
                "virtualServices[0].persistence.timeout",
                "virtualServices[0].persistence.sourceIpMask",
                "virtualServices[0].persistence.sourceIpMaskV6",
                "virtualServices[0].persistence.maxEntries",
                "virtualServices[0].persistence.cookieName",
                "virtualServices[0].persistence.cookieSameSite",
                "virtualServices[0].persistence.cookiePath",
                "virtualServices[0].persistence.cookieSecret");
    }

    @Test
    void modesThatNeedAName_withoutIt_areRejected() {
        assertThat(violations(Protocol.HTTP, Persistence.NONE, Persistence.of(PersistenceMode.HEADER)))
                .extracting(Violation::toString)
                .containsExactly("virtualServices[0].subServices[0].persistence.header: '' (expected: a header name "
                        + "for mode header)");
        assertThat(violations(Protocol.HTTP, Persistence.of(PersistenceMode.QUERY_PARAM), null))
                .extracting(Violation::path).containsExactly("virtualServices[0].persistence.param");
    }

    @Test
    void httpModesOnTcp_andSameModeAsFallback_areRejected() {
        assertThat(violations(Protocol.TCP, Persistence.of(PersistenceMode.ACTIVE_COOKIE), null))
                .extracting(Violation::path).containsExactly("virtualServices[0].persistence.mode");
        assertThat(violations(Protocol.HTTP, Persistence.builder(PersistenceMode.SOURCE_IP)
                .fallback(PersistenceMode.SOURCE_IP).build(), null))
                .extracting(Violation::path).containsExactly("virtualServices[0].persistence.fallback");
    }

    @Test
    void parse_andTrustedProxy_nameTheBadValue() {
        assertThat(PersistenceMode.parse("active-cookie")).isEqualTo(PersistenceMode.ACTIVE_COOKIE);
        assertThatIllegalArgumentException().isThrownBy(() -> PersistenceMode.parse("sticky"))
                .withMessageContaining("sticky").withMessageContaining("source-ip");
        assertThatIllegalArgumentException().isThrownBy(
                () -> Persistence.builder(PersistenceMode.SOURCE_IP).trustedProxy("proxy.example.com"))
                .withMessageContaining("proxy.example.com");
    }
}
