package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.UpstreamProtocol;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.GrpcBackend;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC (grpc-java clients and servers) through the gateway: h2c from the client, {@code upstreamProtocol: h2} to the
 * real servers, streams multiplexed on the gateway's connections to them.
 */
class GrpcThroughGatewayTest {

    private final List<ManagedChannel> channels = new ArrayList<>();

    static VirtualService.Builder service(Persistence persistence, GrpcBackend... servers) {
        SubService.Builder pool = SubService.builder("grpc").asDefault().upstreamProtocol(UpstreamProtocol.H2);
        for (GrpcBackend s : servers) {
            pool.realServer(RealServer.of(s.name, s.address()));
        }
        return VirtualService.builder("api").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(persistence).subService(pool.build());
    }

    private ManagedChannel channel(ProxyFixture g) {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", g.port()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    static CallOptions within(long seconds) {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void unaryAndStreamingCalls_passThrough_onOneUpstreamConnection() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1"); AccessLogCapture log = new AccessLogCapture();
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);

            assertThat(ClientCalls.blockingUnaryCall(ch, GrpcBackend.UNARY, within(10), "hi")).isEqualTo("g1:hi");
            List<String> counted = new ArrayList<>();
            ClientCalls.blockingServerStreamingCall(ch, GrpcBackend.COUNT, within(10), "3").forEachRemaining(
                    counted::add);
            assertThat(counted).containsExactly("g1:0", "g1:1", "g1:2");

            CompletableFuture<String> joined = new CompletableFuture<>();
            StreamObserver<String> up = ClientCalls.asyncClientStreamingCall(ch.newCall(GrpcBackend.JOIN, within(10)),
                    single(joined));
            up.onNext("a");
            up.onNext("b");
            up.onCompleted();
            assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("g1:ab");

            LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            CompletableFuture<String> chatEnd = new CompletableFuture<>();
            StreamObserver<String> chat = ClientCalls.asyncBidiStreamingCall(ch.newCall(GrpcBackend.CHAT, within(10)),
                    collecting(echoes, chatEnd));
            chat.onNext("x");
            assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("g1:x"); // the answer before the next message
            chat.onNext("y");
            assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("g1:y");
            chat.onCompleted();
            assertThat(chatEnd.get(5, TimeUnit.SECONDS)).isEqualTo("done");

            Metadata first = g1.heads.poll(5, TimeUnit.SECONDS);
            assertThat(first.get(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo("127.0.0.1");
            assertThat(log.next("\"POST /test.Echo/Unary HTTP/2.0\" 200")).contains("api grpc g1");
            assertThat(log.next("\"POST /test.Echo/Chat HTTP/2.0\" 200")).contains("api grpc g1");
            g.assertNoLeaseHeld();
            RealServerStats stats = g.engine.stats().findRealServer("api", "grpc", "g1").orElseThrow();
            assertThat(stats.totalRequests()).isEqualTo(4);
            assertThat(stats.failures()).isZero();
            assertThat(g.proxy.channels().upstreamH2ConnectionsOpened()).isEqualTo(1);
            assertThat(g.proxy.channels().upstreamConnectionsOpened()).isZero();
        }
    }

    @Test
    void errorStatus_withMessage_passesThrough() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(channel(g), GrpcBackend.FAIL, within(10), "x"));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("bad thing: x");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void deadline_onASlowServer_resetsTheUpstreamStream_andReleasesTheLease() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(ch, GrpcBackend.SLOW,
                            CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), "5000"));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            Eventually.until("the server saw the call cancelled", () -> g1.cancelled.get() == 1);
            g.assertNoLeaseHeld();
            assertThat(g1.slowAnswered.get()).isZero();
            // the connection stays and serves the next call
            assertThat(ClientCalls.blockingUnaryCall(ch, GrpcBackend.UNARY, within(10), "again"))
                    .isEqualTo("g1:again");
            assertThat(g.proxy.channels().upstreamH2ConnectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void headerPersistence_keepsEachKeyOnOneServer_andKeysSpreadOverThePool() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1"); GrpcBackend g2 = GrpcBackend.start("g2");
                GrpcBackend g3 = GrpcBackend.start("g3");
                ProxyFixture g = ProxyFixture.start(service(Persistence.builder(PersistenceMode.HEADER)
                        .header("x-user").build(), g1, g2, g3), b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);
            Set<String> servers = new HashSet<>();
            for (String user : List.of("ann", "bob", "cat", "dan", "eve", "fay")) {
                Metadata key = new Metadata();
                key.put(Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER), user);
                Channel withKey = ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(key));
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    seen.add(ClientCalls.blockingUnaryCall(withKey, GrpcBackend.UNARY, within(10), "q"));
                }
                assertThat(seen).as(user).hasSize(1);
                servers.addAll(seen);
            }
            assertThat(servers).containsExactlyInAnyOrder("g1:q", "g2:q", "g3:q");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void withoutPersistence_callsOfOneClientConnection_spreadOverEveryServer() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1"); GrpcBackend g2 = GrpcBackend.start("g2");
                GrpcBackend g3 = GrpcBackend.start("g3");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1, g2, g3),
                        b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) { // concurrent: streams multiplexed both sides
                CompletableFuture<String> answer = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(ch.newCall(GrpcBackend.UNARY, within(10)), "n", single(answer));
                answers.add(answer);
            }
            for (CompletableFuture<String> a : answers) {
                a.get(10, TimeUnit.SECONDS);
            }
            assertThat(List.of(g1.calls.get(), g2.calls.get(), g3.calls.get())).containsExactly(10, 10, 10);
            g.assertNoLeaseHeld();
            assertThat(g.engine.stats().findRealServer("api", "grpc", "g2").orElseThrow().totalRequests())
                    .isEqualTo(10);
        }
    }

    @Test
    void serverAllowingTwoStreams_sixConcurrentCalls_openThreeConnections() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1", 2);
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);
            assertThat(ClientCalls.blockingUnaryCall(ch, GrpcBackend.UNARY, within(10), "warm")).isEqualTo("g1:warm");
            List<CompletableFuture<String>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                CompletableFuture<String> answer = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(ch.newCall(GrpcBackend.SLOW, within(10)), "300", single(answer));
                slow.add(answer);
            }
            for (CompletableFuture<String> a : slow) {
                assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("g1:slept 300");
            }
            assertThat(g.proxy.channels().upstreamH2ConnectionsOpened()).isEqualTo(3);
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void gracefulServerShutdown_midTraffic_failsNoCallItDidNotRefuse() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1"); GrpcBackend g2 = GrpcBackend.start("g2");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1, g2), b -> b.http2Cleartext(true))) {
            ManagedChannel ch = channel(g);
            List<CompletableFuture<String>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                CompletableFuture<String> answer = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(ch.newCall(GrpcBackend.SLOW, within(10)), "700", single(answer));
                slow.add(answer);
            }
            Eventually.until("every slow call reached a server", () -> g1.calls.get() + g2.calls.get() == 6);
            g1.shutdown(); // GOAWAY on its connection from the gateway; its 3 calls in progress go on

            for (int i = 0; i < 6; i++) { // new calls go to a new connection, or to g2 when g1 has closed
                assertThat(ClientCalls.blockingUnaryCall(ch, GrpcBackend.UNARY, within(10), "after"))
                        .endsWith(":after");
            }
            for (CompletableFuture<String> a : slow) {
                assertThat(a.get(10, TimeUnit.SECONDS)).contains(":slept 700");
            }
            assertThat(g1.slowAnswered.get()).isEqualTo(3);
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void slowClient_ofAFastServer_holdsTheServerBack_throughTheUpstreamStreamsWindow() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            FloodCall flood = flood(g, 65_535, 4_000); // a fixed window, given back only as messages are taken: 4 MiB

            Eventually.until("the flood started", () -> g1.floodSent.get() > 0);
            int before = -1;
            for (int i = 0; i < 40 && g1.floodSent.get() != before; i++) { // until the server stalls (max 8 s)
                before = g1.floodSent.get();
                Thread.sleep(200);
            }
            assertThat(g1.floodSent.get()).as("KiB the server could send to a client that reads nothing")
                    .isBetween(64, 1000);
            flood.call().request(Integer.MAX_VALUE);
            assertThat(flood.closed().get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            assertThat(flood.received().get()).isEqualTo(4000);
            g.assertNoLeaseHeld();
        }
    }

    /**
     * The server's stream ends (its last messages and trailers reach the gateway) while the client's small window
     * is full: the gateway holds the rest. When the client takes it, the gateway's first read of that stream gets
     * every frame left (Netty hands over all of an ended stream's frames at once) and the stream's channel closes;
     * more than the client's window is left to send, so the last of it, the trailers too, waits in the closed
     * channel's handlers. It must still reach the client (it was dropped with them: a call that never ended).
     */
    @Test
    void serverStreamEnds_whileTheClientsWindowIsFull_theRestAndTheTrailersStillArrive() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1");
                ProxyFixture g = ProxyFixture.start(service(Persistence.NONE, g1), b -> b.http2Cleartext(true))) {
            // a stream window of 4 KiB, given back 2 KiB at a time; 30 x 1,029 bytes: the gateway reads at most 4 KiB
            // and one frame (16 KiB) for the client, and its stream to the server has at least half of its 64 KiB
            // window left, so the server sends all and its trailers
            FloodCall flood = flood(g, 4_096, 30);
            Eventually.until("the server sent every message", () -> g1.floodSent.get() == 30);
            Thread.sleep(300); // the last frames and the trailers reach the gateway: its stream to the server ends
            flood.call().request(Integer.MAX_VALUE);

            assertThat(flood.closed().get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            assertThat(flood.received().get()).isEqualTo(30);
            g.assertNoLeaseHeld();
        }
    }

    /** A FLOOD call of {@code messages} KiB messages, sent and half-closed, one message asked for. */
    private record FloodCall(ClientCall<String, String> call, AtomicInteger received,
            CompletableFuture<Status> closed) {
    }

    private FloodCall flood(ProxyFixture g, int clientWindow, int messages) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", g.port()).usePlaintext()
                .flowControlWindow(clientWindow).build();
        channels.add(ch);
        ClientCall<String, String> call = ch.newCall(GrpcBackend.FLOOD, within(30));
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(String message) {
                received.incrementAndGet();
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(Integer.toString(messages));
        call.halfClose();
        call.request(1);
        return new FloodCall(call, received, closed);
    }

    private static StreamObserver<String> single(CompletableFuture<String> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete("no answer");
            }
        };
    }

    private static StreamObserver<String> collecting(LinkedBlockingQueue<String> into, CompletableFuture<String> end) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
                end.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                end.complete("done");
            }
        };
    }
}
