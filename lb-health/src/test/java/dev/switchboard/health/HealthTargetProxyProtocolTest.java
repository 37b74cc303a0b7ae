package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.CheckResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which PROXY protocol header a target's probes send: the traffic's, on the server's own address only. */
class HealthTargetProxyProtocolTest {

    private static final Address EX01 = Address.parse("10.0.0.11:993");

    @Test
    void probesOfTheServersOwnAddress_sendTheTrafficsVersion() {
        for (HealthCheck.Builder b : List.of(HealthCheck.http(), HealthCheck.https(), HealthCheck.tcp(),
                HealthCheck.agent(), HealthCheck.httpAgent())) {
            HealthCheck check = b.build();
            assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, check, ProxyProtocol.V2).probedProxyProtocol())
                    .as(check.type().name()).isEqualTo(ProxyProtocol.V2);
            HealthCheck samePort = b.port(993).build();
            assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, samePort, ProxyProtocol.V1)
                    .probedProxyProtocol()).isEqualTo(ProxyProtocol.V1);
        }
    }

    @Test
    void anotherPort_orACustomCheck_orNoneConfigured_sendsNone() {
        HealthCheck agentPort = HealthCheck.agent().port(3333).build();
        HealthCheck custom = HealthCheck.custom("mine",
                address -> CompletableFuture.completedFuture(CheckResult.up("fine"))).build();
        assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, agentPort, ProxyProtocol.V2).probedProxyProtocol())
                .isEqualTo(ProxyProtocol.NONE);
        assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, custom, ProxyProtocol.V2).probedProxyProtocol())
                .isEqualTo(ProxyProtocol.NONE);
        assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, HealthCheck.tcp().build()).probedProxyProtocol())
                .isEqualTo(ProxyProtocol.NONE);
        assertThat(HealthTarget.of("imap", "pool", "ex01", EX01, HealthCheck.tcp().build(), ProxyProtocol.V1))
                .hasToString("imap/pool/ex01 (10.0.0.11:993, PROXY v1)");
    }

    @Test
    void targetsOfAModel_takeTheRealServersSetting_elseTheSubServices() {
        HealthCheck tcp = HealthCheck.tcp().build();
        LoadBalancer lb = LoadBalancer.builder()
                .virtualService(VirtualService.builder("imap").listen("10.0.0.1:993").protocol(Protocol.TCP)
                        .subService(SubService.builder("pool").asDefault().proxyProtocol(ProxyProtocol.V2)
                                .realServer(RealServer.of("ex01", "10.0.0.11:993"))
                                .realServer(RealServer.builder("ex02", "10.0.0.12:993")
                                        .proxyProtocol(ProxyProtocol.V1).build())
                                .realServer(RealServer.builder("legacy", "10.0.0.13:993")
                                        .proxyProtocol(ProxyProtocol.NONE).build())
                                .healthCheck(tcp).build())
                        .build())
                .build();

        assertThat(HealthTargets.of(lb)).extracting(HealthTarget::proxyProtocol)
                .containsExactly(ProxyProtocol.V2, ProxyProtocol.V1, ProxyProtocol.NONE);
    }
}
