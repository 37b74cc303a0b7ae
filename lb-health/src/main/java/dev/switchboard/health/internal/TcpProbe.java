package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP connect probes, run on the checker's {@link HealthLoop}, which opens, connects, watches, times out and closes
 * every probe socket: up when the server answers the handshake within the timeout, then closed at once. Probe
 * sockets are closed with {@code SO_LINGER} 0, that is with a reset: no FIN exchange and no {@code TIME_WAIT} socket
 * left behind per probe. A connect-only (TCP) check also turns {@code TCP_QUICKACK} off before connecting (Linux), so
 * the handshake's last ACK waits and the reset goes in its place: the server's kernel answered, which is what the
 * check asks, and its application never has to accept and close a connection per probe (HAProxy's checks do both).
 * Agent checks then read one line (up to 512 bytes, or until the server closes) within the same timeout and parse it
 * as an {@link AgentAnswer}. Plain-HTTP checks (HTTP and HTTP agent; not HTTPS) run on the same loop: connect, write
 * one HTTP/1.1 request, read the status line, headers and as much body as the check needs ({@link HttpExchange}), all
 * within the timeout, then close with a reset, unless the check reuses its connection
 * ({@link HealthCheck#reuseConnection()}) and the answer was a success that allows it: then the connection stays
 * open, watched for reads, and the next probe of the same address and check sends its request on it
 * ({@link HttpTargetState}). A kept connection that the server closes or writes to while idle is closed; one it
 * closes or resets before the first byte of the answer to a reused request is not a failure: the probe connects
 * again at once, once, within the same timeout. {@link #release} closes what is kept for a check no longer used; the
 * loop closes everything when it ends. A probe with a PROXY protocol version ({@link #probe(Address, HealthCheck,
 * ProxyProtocol, Consumer)}) writes its {@link ProbeProxyHeader} first on each new connection (once per kept
 * connection): a TCP check then closes with a FIN instead of a reset (a reset could overtake the header, and the
 * server's application accepts the connection anyway once data came), an agent check reads its line after it, a
 * plain-HTTP check writes its request behind it. IP literals are parsed without a lookup; host names are resolved
 * first on a dedicated resolver thread, so a slow DNS lookup never blocks the loop. Thread-safe: {@link #probe} and
 * {@link #release} called from another thread are handed to the loop; on the loop thread (the checker's case) the
 * probe starts at once, and its callback runs on the loop thread.
 */
public final class TcpProbe implements Probe {

    static final int MAX_AGENT_LINE = 512;
    /** Whether TCP_QUICKACK can be set (Linux). */
    private static final boolean QUICKACK = quickAckSupported();

    private final HealthLoop loop;
    private final ExecutorService resolver;
    private final Map<TargetKey, HttpTargetState> httpTargets = new HashMap<>();

    public TcpProbe(HealthLoop loop) {
        this.loop = loop;
        this.resolver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-health-dns");
            t.setDaemon(true);
            return t;
        });
    }

    private static boolean quickAckSupported() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean isIpLiteral(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void probe(Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback) {
        if (loop.inLoop()) {
            begin(address, check, proxyProtocol, callback);
            return;
        }
        try {
            loop.execute(() -> begin(address, check, proxyProtocol, callback));
        } catch (RejectedExecutionException e) {
            // closed: nothing more is reported
        }
    }

    private void begin(Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback) {
        Attempt a = new Attempt(this, address, check, proxyProtocol, callback, System.nanoTime());
        if (check.type() == HealthCheck.Type.HTTP || check.type() == HealthCheck.Type.HTTP_AGENT) {
            try {
                a.target = httpTargets.computeIfAbsent(new TargetKey(address, check, proxyProtocol),
                        k -> new HttpTargetState(k.address(), k.check()));
            } catch (RuntimeException e) {
                callback.accept(ProbeOutcome.failed("bad request: " + e.getMessage(), 0));
                return;
            }
        }
        loop.schedule(a, check.timeout().toNanos()); // the timeout, which runs while a name is resolved too
        if (isIpLiteral(address.host())) {
            start(a); // parsed, not looked up, and only when a new connection is needed
            return;
        }
        try {
            resolver.execute(() -> {
                a.to = new InetSocketAddress(address.host(), address.port());
                try {
                    loop.execute(() -> start(a));
                } catch (RejectedExecutionException e) {
                    // closed while looking up: nothing more is reported
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing more is reported
        }
    }

    /** Closes the connection kept for plain-HTTP probes of {@code check} on {@code address}, if any. */
    @Override
    public void release(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
        if (!loop.inLoop()) {
            try {
                loop.execute(() -> release(address, check, proxyProtocol));
            } catch (RejectedExecutionException e) {
                // closed: the loop closed every connection
            }
            return;
        }
        HttpTargetState t = httpTargets.remove(new TargetKey(address, check, proxyProtocol));
        if (t != null) {
            t.release();
        }
    }

    private void start(Attempt a) {
        if (a.done || a.channel != null) {
            return;
        }
        InetSocketAddress to = a.to;
        if (to != null && to.isUnresolved()) {
            a.finish(ProbeOutcome.failed("io error: " + new IOException("unknown host " + to.getHostString()),
                    System.nanoTime() - a.start));
            return;
        }
        if (a.target != null && a.http == null) {
            a.http = a.target.exchange();
        }
        if (a.target != null && !a.retried && reuse(a)) {
            return;
        }
        if (to == null) {
            to = new InetSocketAddress(a.address.host(), a.address.port()); // an IP literal: no lookup
            a.to = to;
        }
        try {
            // an IPv4 socket for an IPv4 target: no dual-stack option set per probe
            a.channel = to.getAddress() instanceof Inet4Address ? SocketChannel.open(StandardProtocolFamily.INET)
                    : SocketChannel.open();
            a.channel.configureBlocking(false);
            a.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            if (QUICKACK && a.check.type() == HealthCheck.Type.TCP && a.proxyProtocol == ProxyProtocol.NONE) {
                // a connect-only check: the handshake's last ACK is held back and the reset goes first, so the
                // server's kernel drops the half-open connection and its application never accepts it
                a.channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            }
            // on loopback and fast networks the handshake is often done when connect returns: then the probe
            // needs no selector registration, no wake-up and no deregistration
            if (a.channel.connect(to) || a.channel.finishConnect()) {
                connected(a);
            } else {
                a.key = a.channel.register(loop.selector(), SelectionKey.OP_CONNECT, a);
            }
        } catch (IOException | RuntimeException e) {
            failed(a, e);
        }
    }

    /** Sends the request on the target's idle connection, if there is one; returns whether there was. */
    private boolean reuse(Attempt a) {
        SelectionKey idle = a.target.takeIdle();
        if (idle == null) {
            return false;
        }
        idle.attach(a);
        a.key = idle;
        a.channel = (SocketChannel) idle.channel();
        a.connected = true;
        a.reused = true;
        try {
            write(a);
        } catch (IOException | RuntimeException e) {
            failed(a, e);
        }
        return true;
    }

    /**
     * A reused connection turned out closed (reset, or the end of the stream, before any byte of the answer): not a
     * failure of the server; connects again at once, once, within the same deadline.
     */
    private void retry(Attempt a) {
        a.close();
        a.channel = null;
        a.key = null;
        a.connected = false;
        a.reused = false;
        a.retried = true;
        a.http.reset();
        start(a);
    }

    /** {@code a}'s key is ready (loop thread). */
    void ready(SelectionKey key, Attempt a) {
        try {
            if (key.isConnectable()) {
                a.channel.finishConnect();
                a.connected = true;
                connected(a);
            } else if (a.http != null) {
                if (key.isWritable()) {
                    write(a);
                } else if (key.isReadable()) {
                    readHttp(a);
                }
            } else if (key.isReadable()) {
                read(a);
            }
        } catch (IOException | RuntimeException e) {
            failed(a, e);
        }
    }

    private void failed(Attempt a, Exception e) {
        if (a.reused && e instanceof IOException && !a.http.responseStarted()) {
            retry(a);
            return;
        }
        a.finish(!a.connected ? failure(e, a.start)
                : a.http != null ? ProbeOutcome.failed("io error: " + e.getMessage(), System.nanoTime() - a.start)
                : ProbeOutcome.failed("agent: io error: " + e, System.nanoTime() - a.start));
    }

    private void connected(Attempt a) throws IOException {
        a.connected = true;
        if (a.proxyProtocol != ProxyProtocol.NONE) {
            a.header = ByteBuffer.wrap(ProbeProxyHeader.of(a.proxyProtocol,
                    (InetSocketAddress) a.channel.getLocalAddress(), (InetSocketAddress) a.channel.getRemoteAddress()));
            if (a.http == null && !writeHeader(a)) {
                return;
            }
        }
        if (a.http != null) {
            if (a.key == null) {
                a.key = a.channel.register(loop.selector(), 0, a);
            }
            write(a);
            return;
        }
        if (a.check.type() != HealthCheck.Type.AGENT) {
            a.graceful = a.header != null; // a reset could overtake the header: close with a FIN
            a.finish(ProbeOutcome.ok(a.header == null ? "connected" : "connected, PROXY header sent",
                    System.nanoTime() - a.start));
            return;
        }
        a.buffer = ByteBuffer.allocate(MAX_AGENT_LINE);
        if (a.key == null) {
            a.key = a.channel.register(loop.selector(), SelectionKey.OP_READ, a);
        } else {
            a.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Reads what is there; reports once there is a line break, the end of the stream or a full buffer. */
    private static void read(Attempt a) throws IOException {
        ByteBuffer buffer = a.buffer;
        int from = buffer.position();
        int n = a.channel.read(buffer);
        boolean eol = false;
        for (int i = from; i < buffer.position(); i++) {
            eol |= buffer.get(i) == '\n';
        }
        if (n < 0 || eol || !buffer.hasRemaining()) {
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            a.finish(ProbeOutcome.agent(AgentAnswer.parse(text), System.nanoTime() - a.start));
        }
    }

    /**
     * Writes the PROXY header of a TCP or agent probe, which a new socket's buffer always takes whole (at most 107
     * bytes); returns false, with the probe failed, when it did not.
     */
    private static boolean writeHeader(Attempt a) throws IOException {
        a.channel.write(a.header);
        if (a.header.hasRemaining()) {
            a.finish(ProbeOutcome.failed("io error: the PROXY protocol header did not fit the socket's buffer",
                    System.nanoTime() - a.start));
            return false;
        }
        return true;
    }

    /**
     * Writes what the socket takes of the request, after the PROXY header on a new connection that sends one; then
     * waits for the answer.
     */
    private static void write(Attempt a) throws IOException {
        ByteBuffer request = a.http.request();
        ByteBuffer header = a.header;
        if (header != null && header.hasRemaining()) {
            a.channel.write(new ByteBuffer[] {header, request});
        } else {
            a.channel.write(request);
        }
        boolean more = request.hasRemaining() || header != null && header.hasRemaining();
        a.key.interestOps(more ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Feeds what is there to the exchange; reports once it has an outcome. */
    private void readHttp(Attempt a) throws IOException {
        HttpExchange http = a.http;
        int n = a.channel.read(http.readBuffer());
        if (n < 0 && a.reused && !http.responseStarted()) {
            retry(a); // closed by the server before it answered the reused connection's request
            return;
        }
        ProbeOutcome outcome = http.received(n, a.start);
        if (outcome != null) {
            a.finish(outcome);
        }
    }

    private static ProbeOutcome failure(Throwable e, long start) {
        String reason = e instanceof ConnectException ? "connection refused" : "io error: " + e;
        return ProbeOutcome.failed(reason, System.nanoTime() - start);
    }

    /** Stops the resolver; the loop, which the checker closes, closes the sockets. */
    @Override
    public void close() {
        resolver.shutdown();
    }

    private record TargetKey(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
    }
}
