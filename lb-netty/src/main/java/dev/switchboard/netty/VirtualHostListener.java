package dev.switchboard.netty;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.internal.http.HostRouting;
import dev.switchboard.netty.internal.http.ProxyContext;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderReader;
import dev.switchboard.netty.internal.vhost.HostTable;
import dev.switchboard.netty.internal.vhost.SniSelection;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listen address shared by several virtual services (virtual hosting), chosen by their
 * {@link VirtualService#hostNames()}: an exact name first, then the longest {@code *.} wildcard, else the virtual
 * service without host names (the default).
 * <ul>
 *   <li>https: per connection, by the TLS server name (SNI) of the ClientHello, before the handshake, so the
 *       certificate presented is the chosen virtual service's; no match and no default: a fatal
 *       {@code unrecognized_name} alert and a close; no ClientHello within {@code timeouts.requestHead} (or
 *       {@code clientIdle} if shorter), or bytes that are not one: a close. Each request's {@code Host} must
 *       choose the same virtual service (else 421 Misdirected Request: no domain fronting).</li>
 *   <li>http: per request, by {@code Host}, so one keep-alive connection may reach several virtual services; no
 *       match and no default: 421. The connection itself (admission, limits, timeouts) is the default's, or the first
 *       virtual service's when there is no default.</li>
 *   <li>tcp: per connection, by the SNI sniffed from a passed-through ClientHello (none, or not TLS: the default); no
 *       match and no default: closed. The connection's settings are the default's (or the first's).</li>
 * </ul>
 * Virtual services keep their own engine dispatch, statistics, TLS context and upstream pool; the listener settings
 * that act before the choice (timeouts, limits) should agree, which the reference gateway's reader checks.
 *
 * <pre>{@code
 * VirtualHostListener shared = VirtualHostListener.bind(transport, engine, List.of(owaSettings, anySettings));
 * ...
 * shared.close(Duration.ofSeconds(10)).join();
 * }</pre>
 *
 * <p>Pipeline of an accepted https connection: {@code "vhost-sni"} ({@link SniSelection}), which replaces itself
 * with the chosen virtual service's {@link HttpProxyChannels#initializer()}; of an http connection: the default's
 * initializer at once. A handler that must see the connection first (a PROXY protocol decoder) goes before them.
 * Thread-safe.
 */
public final class VirtualHostListener implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualHostListener.class);

    private final Channel server;
    private final TcpProxy tcp;
    private final Map<String, HttpProxyChannels> channels;
    private final String names;
    private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

    private VirtualHostListener(Channel server, TcpProxy tcp, Map<String, HttpProxyChannels> channels) {
        this.server = server;
        this.tcp = tcp;
        this.channels = channels;
        this.names = String.join(", ", channels.isEmpty() ? List.of(String.valueOf(tcp)) : channels.keySet());
    }

    /**
     * Binds the address of {@code settings} (one per virtual service, all with the same listen address and protocol;
     * their host names are read from {@code engine}'s model) and serves them. Blocks until bound.
     *
     * @throws IllegalArgumentException when the settings differ in address or protocol, name a virtual service the
     *         engine does not know, or their host names clash (a pattern twice, two defaults)
     * @throws UncheckedIOException naming the address when it cannot be bound
     * @throws dev.switchboard.api.ConfigurationException when a TLS context cannot be made from the settings
     */
    public static VirtualHostListener bind(NettyTransport transport, DispatchEngine engine,
            List<ListenerSettings> settings) {
        Objects.requireNonNull(transport, "transport");
        Map<String, VirtualService> model = models(engine, settings);
        ListenerSettings primary = primary(settings, model);
        if (primary.protocol() == Protocol.TCP) {
            HostTable<String> table = table(settings, model, ListenerSettings::virtualService);
            Function<ConnectionView, Decision> dispatcher = view -> {
                String vs = table.select(view.tlsServerName(), "");
                return vs.isEmpty() ? Decision.Respond.of(421, "no virtual service for server name")
                        : engine.dispatch(vs, view);
            };
            TcpProxy proxy = TcpProxy.bind(transport, dispatcher, primary);
            return new VirtualHostListener(null, proxy, Map.of());
        }
        Map<String, HttpProxyChannels> made = new LinkedHashMap<>();
        try {
            for (ListenerSettings s : settings) {
                made.put(s.virtualService(), HttpProxyChannels.create(transport, engine, s));
            }
        } catch (RuntimeException e) {
            made.values().forEach(c -> c.close(Duration.ZERO, transport.workers().next()));
            throw e;
        }
        ChannelHandler first = route(settings, model, made, primary);
        return bindHttp(transport, primary, made, first);
    }

    private static Map<String, VirtualService> models(DispatchEngine engine, List<ListenerSettings> settings) {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("settings: empty (expected: one per virtual service of the address)");
        }
        Map<String, VirtualService> byName = new LinkedHashMap<>();
        engine.model().virtualServices().forEach(vs -> byName.put(vs.name(), vs));
        Map<String, VirtualService> model = new LinkedHashMap<>();
        ListenerSettings first = settings.get(0);
        for (ListenerSettings s : settings) {
            VirtualService vs = byName.get(s.virtualService());
            if (vs == null) {
                throw new IllegalArgumentException(s.virtualService() + ": not a virtual service of the engine");
            }
            if (!s.listen().equals(first.listen()) || s.protocol() != first.protocol()) {
                throw new IllegalArgumentException(s.virtualService() + ": " + s.protocol().configName() + "://"
                        + s.listen() + " (expected: " + first.protocol().configName() + "://" + first.listen()
                        + " as " + first.virtualService() + "; http, https and tcp cannot share a port)");
            }
            model.put(vs.name(), vs);
        }
        return model;
    }

    /** The default's settings (no host names), else the first's. */
    private static ListenerSettings primary(List<ListenerSettings> settings, Map<String, VirtualService> model) {
        return settings.stream().filter(s -> model.get(s.virtualService()).hostNames().isEmpty()).findFirst()
                .orElse(settings.get(0));
    }

    private static <T> HostTable<T> table(List<ListenerSettings> settings, Map<String, VirtualService> model,
            Function<ListenerSettings, T> value) {
        HostTable.Builder<T> b = HostTable.builder();
        for (ListenerSettings s : settings) {
            List<String> names = model.get(s.virtualService()).hostNames();
            if (names.isEmpty()) {
                b.defaultTo(value.apply(s));
            }
            names.forEach(n -> b.add(n, value.apply(s)));
        }
        return b.build();
    }

    /** Sets how requests choose their virtual service and returns the handler every connection starts with. */
    private static ChannelHandler route(List<ListenerSettings> settings, Map<String, VirtualService> model,
            Map<String, HttpProxyChannels> made, ListenerSettings primary) {
        HostTable<ProxyContext> byHost = table(settings, model, s -> made.get(s.virtualService()).context());
        if (primary.protocol() == Protocol.HTTP) {
            made.get(primary.virtualService()).context().routeBy((host, connection) -> byHost.select(host, null));
            return made.get(primary.virtualService()).initializer();
        }
        HostRouting sameAsSni = (host, connection) -> host.isEmpty() || byHost.select(host, null) == connection
                ? connection : null;
        made.values().forEach(c -> c.context().routeBy(sameAsSni));
        HostTable<ChannelHandler> bySni = table(settings, model, s -> made.get(s.virtualService()).initializer());
        Duration head = primary.timeouts().requestHead(); // a ClientHello is the first thing a client sends
        long wait = Math.max(1, Math.min(head.toMillis(), primary.timeouts().clientIdle().toMillis()));
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (primary.acceptProxyProtocol()) { // the PROXY header comes before the ClientHello
                    ProxyHeaderReader.addFirst(ch, primary.proxies(), primary.timeouts().requestHead(),
                            made.get(primary.virtualService()).context().limiter().proxyProtocol());
                }
                ch.pipeline().addLast("vhost-sni", new SniSelection(name -> bySni.select(name, null), wait));
            }
        };
    }

    private static VirtualHostListener bindHttp(NettyTransport transport, ListenerSettings primary,
            Map<String, HttpProxyChannels> made, ChannelHandler first) {
        ServerBootstrap b = new ServerBootstrap().group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(first);
        InetSocketAddress address = new InetSocketAddress(primary.listen().host(), primary.listen().port());
        ChannelFuture bound = b.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            made.values().forEach(c -> c.close(Duration.ZERO, transport.workers().next()));
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot bind " + primary.listen() + " for virtual services "
                    + made.keySet() + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        VirtualHostListener listener = new VirtualHostListener(bound.channel(), null, made);
        LOG.info("{}: {} listening on {}, shared by host name ({})", made.keySet(),
                primary.protocol().configName(), listener.localAddress(), transport.name());
        return listener;
    }

    /** The names of the virtual services served here (empty for tcp, whose connections a {@link TcpProxy} runs). */
    public List<String> virtualServices() {
        return List.copyOf(channels.keySet());
    }

    /** The handlers and counters of one http(s) virtual service served here. */
    public HttpProxyChannels channels(String virtualService) {
        HttpProxyChannels c = channels.get(virtualService);
        if (c == null) {
            throw new IllegalArgumentException("virtualService: '" + virtualService + "' (expected one of "
                    + channels.keySet() + ")");
        }
        return c;
    }

    @Override
    public InetSocketAddress localAddress() {
        return tcp != null ? tcp.localAddress() : (InetSocketAddress) server.localAddress();
    }

    @Override
    public CompletableFuture<Void> close(Duration grace) {
        if (tcp != null) {
            return tcp.close(grace);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closing.compareAndSet(null, done)) {
            return closing.get();
        }
        server.close().addListener(f -> {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            channels.values().forEach(c -> all.add(c.close(grace, server.eventLoop())));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
                LOG.info("{}: closed", names);
                done.complete(null);
            });
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> unbound() {
        if (tcp != null) {
            return tcp.unbound();
        }
        CompletableFuture<Void> unbound = new CompletableFuture<>();
        server.closeFuture().addListener(f -> unbound.complete(null));
        return unbound;
    }

    @Override
    public String toString() {
        return "VirtualHostListener[" + names + " " + localAddress() + "]";
    }
}
