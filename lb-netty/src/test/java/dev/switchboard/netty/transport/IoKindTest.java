package dev.switchboard.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.HttpProxy;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Which I/O a transport runs on, and a proxy working on every one that loads here. */
class IoKindTest {

    private static IoKind firstAvailable() {
        return IoKind.IO_URING.available() ? IoKind.IO_URING : IoKind.EPOLL.available() ? IoKind.EPOLL : IoKind.NIO;
    }

    @Test
    void auto_isTheFirstOfIoUringEpollAndNioThatLoads() {
        assertThat(IoKind.choose(null, true)).isEqualTo(firstAvailable());
        assertThat(IoKind.choose("auto", true)).isEqualTo(firstAvailable());
        assertThat(IoKind.choose(" ", true)).isEqualTo(firstAvailable());
        assertThat(IoKind.choose(" nio ", true)).isEqualTo(IoKind.NIO);
        assertThat(IoKind.choose("io_uring", false)).as("NIO asked for").isEqualTo(IoKind.NIO);
        try (NettyTransport t = NettyTransport.create(1, true)) {
            assertThat(t.name()).isEqualTo(firstAvailable().configName());
            assertThat(IoKind.of(t.workers())).isEqualTo(firstAvailable());
        }
    }

    @Test
    void aNamedNativeTransport_isThatOne_orAClearError() {
        for (IoKind k : List.of(IoKind.IO_URING, IoKind.EPOLL)) {
            if (k.available()) {
                assertThat(IoKind.choose(k.configName(), true)).isEqualTo(k);
            } else {
                assertThatThrownBy(() -> IoKind.choose(k.configName(), true))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("switchboard.transport=" + k.configName() + ": "
                                + k.configName() + " does not load here (");
            }
        }
    }

    @Test
    void anUnknownName_isRefused_namingThePropertyAndTheValue() {
        for (boolean preferNative : new boolean[] {true, false}) {
            assertThatThrownBy(() -> IoKind.choose("iouring", preferNative))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("switchboard.transport: 'iouring' (expected: auto, io_uring, epoll or nio)");
        }
    }

    @Test
    void theProxy_forwardsKeepAliveRequestsAndBodies_andRefusesWithAHalfClose_onEveryTransportThatLoads()
            throws IOException, java.util.concurrent.ExecutionException, InterruptedException, TimeoutException {
        List<IoKind> kinds = Arrays.stream(IoKind.values()).filter(IoKind::available).toList(); // NIO always
        OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
                .readTimeout(10, TimeUnit.SECONDS).build();
        for (IoKind kind : kinds) {
            try (Backend backend = Backend.echo("ex01");
                    NettyTransport transport = NettyTransport.create(2, kind, ConnectionBudget.of(100))) {
                VirtualService service = VirtualService.builder("mail").protocol(Protocol.HTTP)
                        .subService(SubService.builder("owa").asDefault()
                                .realServer(RealServer.of("ex01", backend.address())).build())
                        .build();
                DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder().virtualService(service).build());
                HttpProxy proxy = HttpProxy.bind(transport, engine, ListenerSettings.builder("mail",
                        Address.parse("127.0.0.1:0"), Protocol.HTTP)
                        .limits(Limits.DEFAULTS.withConnectionLimits(1, 0)).build());
                String base = "http://127.0.0.1:" + proxy.localAddress().getPort();
                try {
                    for (int i = 0; i < 20; i++) {
                        try (Response r = client.newCall(new Request.Builder().url(base + "/owa/" + i).build())
                                .execute()) {
                            assertThat(r.code()).as(kind + " GET " + i).isEqualTo(200);
                            assertThat(r.body().string()).isEqualTo("ex01 /owa/" + i);
                        }
                    }
                    String big = "x".repeat(200_000);
                    try (Response r = client.newCall(new Request.Builder().url(base + "/owa/post")
                            .post(RequestBody.create(big, MediaType.get("text/plain"))).build()).execute()) {
                        assertThat(r.code()).as(kind + " POST").isEqualTo(200);
                    }
                    for (int i = 0; i < 20; i++) {
                        assertThat(backend.take().getTarget()).isEqualTo("/owa/" + i);
                    }
                    assertThat(backend.take().getBody().utf8()).as(kind + " body").isEqualTo(big);
                    assertThat(client.connectionPool().connectionCount()).as("kept alive").isEqualTo(1);

                    // over the limit of one connection, with a body announced: answered 503 and the output shut once
                    // the answer is written (a FIN while the body is still read); the listener then still closes
                    try (RawClient refused = RawClient.connect(proxy.localAddress().getPort())) {
                        refused.send("POST /owa/x HTTP/1.1\r\nHost: mail\r\nContent-Length: 10\r\n\r\n");
                        String head = refused.readHead();
                        assertThat(RawClient.status(head)).as(kind + " refused").isEqualTo(503);
                        assertThat(refused.readBody(RawClient.contentLength(head))).isEqualTo("Service Unavailable\n");
                        assertThat(refused.closedByPeer()).as(kind + " output shut").isTrue();
                        refused.send("0123456789");
                    }
                } finally {
                    proxy.close(Duration.ZERO).get(10, TimeUnit.SECONDS);
                    engine.close();
                    client.connectionPool().evictAll();
                }
            }
        }
    }
}
