package dev.switchboard.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.health.HealthChecker;
import dev.switchboard.health.OutlierDetector;
import dev.switchboard.netty.HttpProxyChannels;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.logging.LoggingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The code of docs/embedding.md's Netty and health sections, as a newcomer would paste it: a Netty server the host
 * bootstraps, the proxy after the host's own handler, health checks from the model, outlier detection. If the guide's
 * snippets stop compiling or working, this fails.
 */
class EmbeddingGuideTest {

    @Test
    void guide_nettySnippetWithHealthChecks_proxiesToTheHealthyServerOnly() throws Exception {
        AtomicInteger sickHits = new AtomicInteger();
        HttpServer ex01 = server("ex01", 200, new AtomicInteger());
        HttpServer ex02 = server("ex02", 503, sickHits); // its health check page answers 503
        List<RealServer> servers = List.of(RealServer.of("ex01", address(ex01)), RealServer.of("ex02", address(ex02)));

        // docs/embedding.md, "Health checks and outlier detection"
        SubService owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa").ignoreCase())
                .healthCheck(HealthCheck.http().path("/owa/healthcheck.htm").expectStatus(200)
                        .interval(Duration.ofMillis(100)).rise(1).fall(1).build())
                .outlierDetection(OutlierDetection.ofDefaults())
                .realServers(servers).build();
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .listen("127.0.0.1:0").subService(owa).build()).build();
        DispatchEngine engine = DispatchEngine.create(model);
        HealthChecker health = HealthChecker.builder(engine).build();
        health.apply(model);
        OutlierDetector outliers = OutlierDetector.builder(engine).build();
        engine.setOutcomeListener(outliers);

        // docs/embedding.md, "Netty, through lb-netty"
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ListenerSettings settings = ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                .trustedProxies(List.of(Cidr.parse("10.0.0.0/8")))
                .build();
        HttpProxyChannels proxy = HttpProxyChannels.create(NettyTransport.wrap(boss, workers), engine, settings);
        LoggingHandler myAuditHandler = new LoggingHandler();
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("audit", myAuditHandler);
                        ch.pipeline().addLast(proxy.initializer());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            Eventually.until("ex01 up and ex02 down", () -> engine.stats().findRealServer("web", "owa", "ex01")
                    .orElseThrow().health() == dev.switchboard.api.Health.UP
                    && engine.stats().findRealServer("web", "owa", "ex02").orElseThrow().health()
                            == dev.switchboard.api.Health.DOWN);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/OWA/inbox")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ex01 /OWA/inbox");
            }
            assertThat(sickHits.get()).as("requests that reached the server that is down").isZero();
        } finally {
            server.close().sync();
            proxy.close(Duration.ofSeconds(10), workers.next()).join();
            health.close();
            outliers.close();
            engine.close();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            ex01.stop(0);
            ex02.stop(0);
        }
    }

    /** A real server: its health page answers {@code healthStatus}, every other path its name and the path. */
    private static HttpServer server(String name, int healthStatus, AtomicInteger requests) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean probe = path.endsWith("/healthcheck.htm");
            if (!probe) {
                requests.incrementAndGet();
            }
            byte[] body = (probe ? "" : name + " " + path).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(probe ? healthStatus : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.start();
        return s;
    }

    private static String address(HttpServer s) {
        return "127.0.0.1:" + s.getAddress().getPort();
    }
}
