package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** {@code proxyProtocol} on sub-services and real servers, {@code acceptProxyProtocol} on virtual services. */
class ProxyProtocolModelTest {

    private static VirtualService.Builder edge() {
        return VirtualService.builder("edge").listen("0.0.0.0:80").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("a", "10.0.0.1:80"))
                        .build());
    }

    @Test
    void acceptProxyProtocolWithoutTrustedProxies_build_violationNamesThePath() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> LoadBalancer.builder().virtualService(edge().acceptProxyProtocol(true).build()).build());
        assertThat(e).isNotNull();
        assertThat(e.violations()).extracting(Violation::path)
                .containsExactly("virtualServices[0].acceptProxyProtocol");
        assertThat(e.getMessage()).contains("without trustedProxies");
    }

    @Test
    void acceptProxyProtocolWithTrustedProxies_build_accepted() {
        VirtualService vs = edge().trustedProxy("10.0.0.0/8").acceptProxyProtocol(true).build();
        assertThatCode(() -> LoadBalancer.builder().virtualService(vs).build()).doesNotThrowAnyException();
        assertThat(vs.acceptProxyProtocol()).isTrue();
        assertThat(vs).isNotEqualTo(edge().trustedProxy("10.0.0.0/8").build()); // a reload sees the change
    }

    @Test
    void defaults_none() {
        SubService pool = edge().build().subServices().get(0);
        assertThat(pool.proxyProtocol()).isEqualTo(ProxyProtocol.NONE);
        assertThat(pool.realServers().get(0).findProxyProtocol()).isEmpty();
        assertThat(edge().build().acceptProxyProtocol()).isFalse();
        assertThat(new Target("vs", "sub", "a", Address.parse("10.0.0.1:80"), false).proxyProtocol())
                .isEqualTo(ProxyProtocol.NONE);
    }

    @Test
    void settings_partOfEquality() {
        RealServer plain = RealServer.of("a", "10.0.0.1:80");
        RealServer v2 = RealServer.builder("a", "10.0.0.1:80").proxyProtocol(ProxyProtocol.V2).build();
        assertThat(v2).isNotEqualTo(plain);
        assertThat(v2.findProxyProtocol()).contains(ProxyProtocol.V2);
        SubService.Builder sub = SubService.builder("s").asDefault().realServer(plain);
        assertThat(sub.build()).isNotEqualTo(SubService.builder("s").asDefault().realServer(plain)
                .proxyProtocol(ProxyProtocol.V1).build());
        assertThatThrownBy(() -> RealServer.builder("a", "10.0.0.1:80").proxyProtocol(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("proxyProtocol");
    }

    @Test
    void configNames_roundTrip() {
        for (ProxyProtocol p : ProxyProtocol.values()) {
            assertThat(ProxyProtocol.find(p.configName())).contains(p);
        }
        assertThat(ProxyProtocol.find("V2")).contains(ProxyProtocol.V2);
        assertThat(ProxyProtocol.find("v3")).isEmpty();
    }
}
