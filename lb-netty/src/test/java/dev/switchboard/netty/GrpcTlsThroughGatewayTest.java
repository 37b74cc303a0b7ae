package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.Protocol;
import dev.switchboard.netty.testing.GrpcBackend;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gRPC over TLS both sides: ALPN h2 from the client to the gateway, and from the gateway to a TLS gRPC server. */
class GrpcTlsThroughGatewayTest {

    @TempDir
    Path dir;

    @Test
    void tlsClient_tlsRealServer_unaryAndStreamingCallsPassThrough() throws Exception {
        TestPki.Issued ca = TestPki.ca("gRPC Test CA");
        TestPki.Issued gateway = TestPki.leaf(ca, "localhost", "127.0.0.1");
        TestPki.Issued server = TestPki.leaf(ca, "127.0.0.1").writeCertificateAndKey(dir.resolve("server.pem"),
                dir.resolve("server.key"));
        ServerTlsConfig listenerTls = ServerTlsConfig.builder(SniCertificates.builder(gateway.tls()).build())
                .applicationProtocols("h2", "http/1.1").build();
        try (GrpcBackend g1 = GrpcBackend.startTls("g1", dir.resolve("server.pem"), dir.resolve("server.key"));
                ProxyFixture g = ProxyFixture.start(GrpcThroughGatewayTest.service(Persistence.NONE, g1)
                        .listen("127.0.0.1:8443").protocol(Protocol.HTTPS), b -> b.tls(listenerTls)
                        .upstreamTls(UpstreamTlsConfig.builder().trustCertificates(List.of(ca.certificate()))
                                .build()))) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("localhost", g.port())
                    .sslContext(GrpcSslContexts.forClient().trustManager(ca.certificate()).build()).build();
            try {
                assertThat(ClientCalls.blockingUnaryCall(ch, GrpcBackend.UNARY, GrpcThroughGatewayTest.within(10),
                        "secret")).isEqualTo("g1:secret");
                List<String> counted = new ArrayList<>();
                ClientCalls.blockingServerStreamingCall(ch, GrpcBackend.COUNT, GrpcThroughGatewayTest.within(10),
                        "2").forEachRemaining(counted::add);
                assertThat(counted).containsExactly("g1:0", "g1:1");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            assertThat(g.proxy.channels().upstreamH2ConnectionsOpened()).isEqualTo(1);
            g.assertNoLeaseHeld();
        }
    }
}
