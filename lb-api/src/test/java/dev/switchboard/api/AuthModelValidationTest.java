package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthModelValidationTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-model";

    private static List<String> problems(Runnable build) {
        try {
            build.run();
        } catch (ConfigurationException e) {
            return e.violations().stream().map(Violation::toString).toList();
        }
        throw new AssertionError("expected a ConfigurationException");
    }

    private static SubService.Builder sub(String name) {
        return SubService.builder(name).asDefault().realServer(RealServer.of("a", "10.0.0.1:80"));
    }

    @Test
    void sso_badFields_areEachNamedWithTheirValueButNeverTheSecret() {
        List<String> p = problems(() -> SingleSignOn.builder().cookieName("SB SSO").domain("exa_mple.test")
                .secret("short-secret").timeout(Duration.ZERO).idleTimeout(Duration.ofHours(2)).build());
        assertThat(p).hasSize(5);
        assertThat(p.get(0)).startsWith("sso.cookieName: \"SB SSO\"");
        assertThat(p.get(1)).startsWith("sso.domain: \"exa_mple.test\"");
        assertThat(p.get(2)).startsWith("sso.secret: (hidden) of 12 bytes").doesNotContain("short-secret");
        assertThat(p.get(3)).startsWith("sso.timeout: PT0S");
        assertThat(p.get(4)).startsWith("sso.idleTimeout: PT2H");
        assertThat(problems(() -> SingleSignOn.builder().cookieName("__Host-SSO").domain("example.test")
                .secret(SECRET).build())).singleElement().asString().contains("__Host-");
    }

    @Test
    void sso_defaultsAndLeadingDot_areAccepted() {
        SingleSignOn sso = SingleSignOn.builder().domain(".Example.TEST").secret(SECRET).build();
        assertThat(sso.domain()).isEqualTo("example.test");
        assertThat(sso.cookieName()).isEqualTo("SBSSO");
        assertThat(sso.toString()).doesNotContain(SECRET);
    }

    @Test
    void realm_withQuote_isRefused() {
        assertThat(problems(() -> Authentication.builder().realm("a\"b").build())).singleElement().asString()
                .startsWith("authentication.realm: \"a\"b\"");
    }

    @Test
    void policies_withoutSettingsOrSso_andOnTcp_areRefusedWithPaths() {
        List<String> p = problems(() -> LoadBalancer.builder()
                .virtualService(VirtualService.builder("web").auth(AuthPolicy.builder(AuthMode.FORM)
                        .exempt("owa/", "/a b").build()).subService(sub("s").build()).build())
                .virtualService(VirtualService.builder("imap").protocol(Protocol.TCP)
                        .subService(sub("p").auth(AuthPolicy.of(AuthMode.BASIC)).build()).build())
                .build());
        assertThat(p).anyMatch(s -> s.startsWith("virtualServices[0].authExempt[0]: \"owa/\" does not start with /"))
                .anyMatch(s -> s.startsWith("virtualServices[0].authExempt[1]: \"/a b\""))
                .anyMatch(s -> s.startsWith("virtualServices[0].auth: 'form' without authentication settings"))
                .anyMatch(s -> s.startsWith("virtualServices[1].subServices[0].auth: 'basic' on a tcp"));
        List<String> noSso = problems(() -> LoadBalancer.builder()
                .authentication(Authentication.builder().build())
                .virtualService(VirtualService.builder("web").auth(AuthPolicy.of(AuthMode.FORM))
                        .subService(sub("s").build()).build()).build());
        assertThat(noSso).singleElement().asString().contains("'form' without authentication.sso");
    }

    @Test
    void subService_inheritsUnlessSet_andEqualityCoversPolicies() {
        SubService inherits = sub("s").build();
        SubService own = sub("s").auth(AuthPolicy.NONE).build();
        assertThat(inherits.findAuth()).isEmpty();
        assertThat(own.findAuth()).contains(AuthPolicy.NONE);
        assertThat(inherits).isNotEqualTo(own);
        LoadBalancer a = LoadBalancer.builder().authentication(Authentication.builder().realm("x").build())
                .virtualService(VirtualService.builder("v").auth(AuthPolicy.of(AuthMode.BASIC))
                        .subService(inherits).build()).build();
        LoadBalancer b = LoadBalancer.builder().authentication(Authentication.builder().realm("y").build())
                .virtualService(VirtualService.builder("v").auth(AuthPolicy.of(AuthMode.BASIC))
                        .subService(inherits).build()).build();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.findVirtualService("v").orElseThrow().auth().mode()).isEqualTo(AuthMode.BASIC);
        assertThatThrownBy(() -> AuthPolicy.builder(AuthMode.BASIC).exempt((String) null))
                .isInstanceOf(NullPointerException.class);
    }
}
