package dev.switchboard.netty.limit;

import dev.switchboard.api.TrustedProxies;
import dev.switchboard.netty.internal.log.JsonLine;
import dev.switchboard.netty.settings.AccessLogFormat;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection limits of one virtual service's listener: {@code limits.maxConnections} for the whole service,
 * {@code limits.maxConnectionsPerClient} per client address, both under the gateway's {@link ConnectionBudget}.
 *
 * <p>The client address is the TCP peer, except for a peer in the listener's {@code trustedProxies}: one
 * connection of a trusted proxy carries many clients, so it counts for {@code maxConnections} and the gateway cap
 * but not per client at accept; instead each request on it counts, while in flight, against the client address
 * the forwarded headers give ({@link TrustedProxies#clientAddress}, the proxy's own address when they cannot say),
 * so a client behind the proxy gets no more than its share either. A client that comes both directly and through
 * a proxy shares one count.
 *
 * <p><b>PROXY protocol.</b> On a listener with {@code acceptProxyProtocol}, a connection from a trusted proxy
 * carries exactly one client, named in its PROXY header: it counts as a connection of that client, like a direct
 * one, from the moment the header is read until it closes ({@link #admitCarried}). The order is forced, since the
 * client is known only once the header is in: at accept, {@link #admit} takes the gateway and service slots (they
 * protect descriptors and the service whoever the client is; the peer is a trusted proxy, so no per-client slot);
 * then the header is read (within the head timeout; an untrusted sender is closed before it sends anything); then
 * the per-client slot of the carried client is taken or refused. A refused http/https connection is answered 429 on
 * its first request and closed, a tcp one closed, as at accept. A carried client that is itself a trusted proxy
 * (an HTTP proxy behind the layer-4 one) is counted per request by its forwarded headers instead, as above.
 *
 * <p>Every slot taken at accept is given back exactly once, when the channel closes (its close future: a close,
 * a reset, a TLS failure, an idle timeout and the gateway's stop all end there). Refusals are counted per limit
 * and logged, one line each, on the {@code switchboard.access} logger when the listener's access log is on.
 *
 * <p>Thread-safe and lock-free: atomic counts, and a per-client map whose entries live only while they hold a slot
 * (see {@link ClientCounts}).
 */
public final class ConnectionLimiter {

    static final Logger ACCESS = LoggerFactory.getLogger("switchboard.access");

    private final ConnectionBudget budget;
    private final String virtualService;
    private volatile TrustedProxies trustedProxies;
    private volatile boolean accessLog;
    private volatile AccessLogFormat accessLogFormat;
    private volatile int maxConnections;
    private volatile int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ClientCounts clients = new ClientCounts();
    private final LongAdder refusedService = new LongAdder();
    private final LongAdder refusedClient = new LongAdder();
    private final LongAdder refusedGateway = new LongAdder();
    private final ClientTimeoutCounters clientTimeouts = new ClientTimeoutCounters();
    private final ProxyProtocolCounters proxyProtocol = new ProxyProtocolCounters();

    ConnectionLimiter(ConnectionBudget budget, ListenerSettings settings) {
        this.budget = budget;
        this.virtualService = settings.virtualService();
        update(settings);
    }

    /**
     * Applies the limits, trusted proxies and access-log switch of {@code settings} (a reload) to connections
     * accepted from now on; open connections keep what they hold. A lower limit refuses new connections until
     * enough have closed. Connections accepted while {@code maxConnectionsPerClient} was 0 are not counted per
     * client (the map is kept only while a per-client limit is set).
     */
    public void update(ListenerSettings settings) {
        Limits limits = settings.limits();
        this.trustedProxies = settings.proxies();
        this.accessLog = settings.accessLog();
        this.accessLogFormat = settings.accessLogFormat();
        this.maxConnections = limits.maxConnections();
        this.maxPerClient = limits.maxConnectionsPerClient();
    }

    /**
     * Decides on the newly accepted {@code channel} and takes its slots. {@link Admission#REFUSED_GATEWAY} holds
     * nothing (the caller {@linkplain #refuseAtAccept closes} the channel). Otherwise the gateway slot, and when
     * accepted the service and client slots, are held until the channel closes; a refused connection that still
     * gets its answer holds only the gateway slot (it holds descriptors).
     */
    public Admission admit(Channel channel) {
        InetAddress peer = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (!budget.tryAcquire()) {
            refusedGateway.increment();
            return Admission.REFUSED_GATEWAY;
        }
        Admission admission = Admission.ACCEPTED;
        InetAddress counted = null;
        int perClient = maxPerClient;
        if (!tryAcquire(open, maxConnections)) {
            admission = Admission.REFUSED_SERVICE;
        } else if (peer != null && perClient > 0 && !trustedProxies.contains(peer)) {
            if (clients.tryAcquire(peer, perClient)) {
                counted = peer;
            } else {
                open.decrementAndGet();
                admission = Admission.REFUSED_CLIENT;
            }
        }
        if (admission == Admission.REFUSED_SERVICE) {
            refusedService.increment();
        } else if (admission == Admission.REFUSED_CLIENT) {
            refusedClient.increment();
        }
        channel.closeFuture().addListener(new Held(admission.accepted(), counted));
        return admission;
    }

    /** Closes a connection that {@link #admit} refused, without an answer, and logs the refusal. */
    public void refuseAtAccept(Channel channel, Admission why) {
        InetAddress peer = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        logRefusal(why, peer, "-");
        channel.close();
    }

    /**
     * Takes the per-client slot of a connection whose client a trusted proxy's PROXY header carried, once the header
     * is read, held until the channel closes. {@link Admission#ACCEPTED} without a slot when no per-client limit is
     * set or the carried client is itself a trusted proxy (its requests are counted instead); otherwise
     * {@link Admission#REFUSED_CLIENT} (counted) when the client already holds {@code maxConnectionsPerClient}
     * connections, and the caller refuses the connection (see the class comment). Call it once per connection.
     */
    public Admission admitCarried(Channel channel, InetAddress client) {
        int perClient = maxPerClient;
        if (perClient == 0 || trustedProxies.contains(client)) {
            return Admission.ACCEPTED;
        }
        if (!clients.tryAcquire(client, perClient)) {
            refusedClient.increment();
            return Admission.REFUSED_CLIENT;
        }
        channel.closeFuture().addListener(f -> clients.release(client));
        return Admission.ACCEPTED;
    }

    /** Whether requests on a connection from {@code peer} are counted per forwarded client. */
    public boolean countsRequests(InetAddress peer) {
        return maxPerClient > 0 && trustedProxies.contains(peer);
    }

    /**
     * Takes a slot for one request of {@code client} behind a trusted proxy; {@code false} (counted as a
     * {@link Admission#REFUSED_CLIENT} refusal) when the client is at its limit. Every {@code true} must be followed
     * by exactly one {@link #releaseRequest}.
     */
    public boolean tryAcquireRequest(InetAddress client) {
        int perClient = maxPerClient;
        if (clients.tryAcquire(client, perClient == 0 ? Integer.MAX_VALUE : perClient)) {
            return true;
        }
        refusedClient.increment();
        return false;
    }

    /** Gives back the slot of a request that {@link #tryAcquireRequest} admitted. */
    public void releaseRequest(InetAddress client) {
        clients.release(client);
    }

    /**
     * Logs one refusal on {@code switchboard.access} (when the listener's access log is on): the refused request
     * line, or {@code -} when there is none (tcp, closed at accept, or no request before the close).
     */
    public void logRefusal(Admission why, InetAddress client, String request) {
        if (accessLog && ACCESS.isInfoEnabled()) {
            ACCESS.info(accessLogFormat == AccessLogFormat.JSON ? refusalJson(virtualService, why, client, request)
                    : refusalLine(virtualService, why, client, request));
        }
    }

    /**
     * The JSON access-log line of a refusal: the fields of a request's line (server fields, times and bytes
     * null or 0) plus {@code "refused"}, the limit's name.
     */
    static String refusalJson(String virtualService, Admission why, InetAddress client, String request) {
        int space = request.indexOf(' ');
        boolean none = request.equals("-") || space < 0;
        JsonLine line = JsonLine.startingNow().string("virtualService", virtualService).string("subService", null)
                .string("realServer", null).string("address", null)
                .string("client", client == null ? null : client.getHostAddress())
                .string("method", none ? null : request.substring(0, space))
                .string("uri", none ? null : request.substring(space + 1));
        if (why.status() == 0) { // closed without an answer
            line.string("status", null);
        } else {
            line.number("status", why.status());
        }
        return line.millis("totalMs", 0).millis("ttfbMs", -1).number("bytesIn", 0).number("bytesOut", 0)
                .string("failure", null).string("refused", why.limit()).toString();
    }

    /** {@code mail - - - client=10.0.0.7 "GET /owa/" 429 0.0ms in=0 out=0 refused=maxConnectionsPerClient}. */
    static String refusalLine(String virtualService, Admission why, InetAddress client, String request) {
        return virtualService + " - - - client=" + (client == null ? "-" : client.getHostAddress())
                + (request.equals("-") ? " - " : " \"" + request + "\" ")
                + (why.status() == 0 ? "-" : Integer.toString(why.status()))
                + " 0.0ms in=0 out=0 refused=" + why.limit();
    }

    private static boolean tryAcquire(AtomicInteger count, int max) {
        while (true) {
            int n = count.get();
            if (max > 0 && n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Stops listing this limiter in the budget's stats (the listener is closed). Slots still held are released. */
    public void close() {
        budget.unregister(this);
    }

    /** The peers counted per request rather than per connection. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    public String virtualService() {
        return virtualService;
    }

    /** Connections of this virtual service open now that were accepted (refused ones not included). */
    public int open() {
        return open.get();
    }

    /** Slots the client address {@code client} holds now (connections, or requests behind a trusted proxy). */
    public int heldBy(InetAddress client) {
        return clients.held(client);
    }

    /** Client addresses holding at least one slot now. */
    public int clientAddresses() {
        return clients.addresses();
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerClient() {
        return maxPerClient;
    }

    /** Refusals since the listener was bound, by the limit that refused. */
    public long refused(Admission why) {
        return switch (why) {
            case ACCEPTED -> 0;
            case REFUSED_GATEWAY -> refusedGateway.sum();
            case REFUSED_SERVICE -> refusedService.sum();
            case REFUSED_CLIENT -> refusedClient.sum();
        };
    }

    /** Slow clients cut on this virtual service's listener (request head deadline, request body rate). */
    public ClientTimeoutCounters clientTimeouts() {
        return clientTimeouts;
    }

    /** Connections closed before their PROXY protocol header was accepted (kept here, so a rebind keeps them). */
    public ProxyProtocolCounters proxyProtocol() {
        return proxyProtocol;
    }

    /** Every refusal since the listener was bound. */
    public long refusedTotal() {
        return refusedGateway.sum() + refusedService.sum() + refusedClient.sum();
    }

    @Override
    public String toString() {
        return "ConnectionLimiter[" + virtualService + " open=" + open.get() + "/" + maxConnections
                + " perClient=" + maxPerClient + "]";
    }

    /** The slots one connection holds, given back when it closes (a close future completes once). */
    private final class Held implements ChannelFutureListener {
        private final boolean service;
        private final InetAddress client;

        Held(boolean service, InetAddress client) {
            this.service = service;
            this.client = client;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (client != null) {
                clients.release(client);
            }
            if (service) {
                open.decrementAndGet();
            }
            budget.release();
        }
    }
}
