package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in a server the host bootstraps itself, on the host's own event loops, after the host's own handler. */
class HttpProxyChannelsTest {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final AtomicInteger accepted = new AtomicInteger();
    private Backend app;
    private Backend api;
    private DispatchEngine engine;
    private HttpProxyChannels proxy;
    private Channel server;

    @BeforeEach
    void start() {
        app = Backend.echo("app");
        api = Backend.echo("api");
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .listen("127.0.0.1:0")
                .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app"))
                        .realServer(RealServer.of("app1", app.address())).build())
                .subService(SubService.builder("api").matchAny(ContentRule.pathPrefix("/api"))
                        .realServer(RealServer.of("api1", api.address())).build())
                .build()).build());
        ListenerSettings settings = ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                .build();
        proxy = HttpProxyChannels.create(NettyTransport.wrap(boss, workers), engine, settings);
        ChannelHandler audit = new CountingHandler(accepted);
        server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("audit", audit);
                        ch.pipeline().addLast(proxy.initializer());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void stop() throws Exception {
        server.close().syncUninterruptibly();
        proxy.close(Duration.ZERO, workers.next()).get(5, TimeUnit.SECONDS);
        engine.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        app.close();
        api.close();
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void hostsOwnServer_requestsBehindTheHostsHandler_areRoutedByContent() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> toApp = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port() + "/app/x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> toApi = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port() + "/api/y")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(toApp.statusCode()).isEqualTo(200);
        assertThat(toApp.body()).isEqualTo("app /app/x");
        assertThat(toApi.body()).isEqualTo("api /api/y");
        assertThat(app.take().getHeaders().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(accepted.get()).as("the host's own handler saw the connection").isGreaterThanOrEqualTo(1);
        assertThat(engine.stats().findRealServer("web", "api", "api1").orElseThrow().totalRequests()).isEqualTo(1);
        assertThat(proxy.upstreamConnectionsOpened()).isEqualTo(2);
    }

    @Test
    void unmatchedPath_getsTheEnginesAnswer_andNoRealServerIsAsked() {
        try (RawClient c = RawClient.connect(port())) {
            String head = c.send("GET /other HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            assertThat(RawClient.status(head)).isEqualTo(404);
        }
        assertThat(app.server.getRequestCount() + api.server.getRequestCount()).isZero();
    }

    @Test
    void close_drainsTheConnections_andLeavesTheHostsLoopsRunning() throws Exception {
        try (RawClient c = RawClient.connect(port())) {
            String response = c.send("GET /app/1 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(response).endsWith("app /app/1");
            assertThat(proxy.openConnections()).isEqualTo(1);

            proxy.close(Duration.ofSeconds(5), workers.next()).get(10, TimeUnit.SECONDS);

            assertThat(c.closedByPeer()).as("an idle keep-alive connection is closed at once").isTrue();
            assertThat(proxy.openConnections()).isZero();
        }
        NettyTransport.wrap(boss, workers).close();
        assertThat(boss.isShuttingDown()).isFalse();
        assertThat(workers.isShuttingDown()).isFalse();
    }

    @Test
    void create_withATcpVirtualService_isRefusedNamingTheProtocol() {
        ListenerSettings tcp = ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.TCP).build();
        assertThatThrownBy(() -> HttpProxyChannels.create(NettyTransport.wrap(boss, workers), engine, tcp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("web.protocol: tcp");
    }

    /** The host's own handler: counts connections and passes everything on. */
    @ChannelHandler.Sharable
    private static final class CountingHandler extends ChannelInboundHandlerAdapter {
        private final AtomicInteger accepted;

        CountingHandler(AtomicInteger accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            ctx.fireChannelActive();
        }
    }
}
