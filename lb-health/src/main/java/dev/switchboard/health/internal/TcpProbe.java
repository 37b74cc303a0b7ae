package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.health.AgentReport;
import dev.switchboard.health.HealthCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * TCP connect probes on one plain NIO {@link Selector} loop, run by one thread ({@code switchboard-health-tcp}) that
 * opens, connects, watches, times out and closes every probe socket: up when the connection is accepted within the
 * timeout, then closed at once. Probe sockets are closed with {@code SO_LINGER} 0, that is with a reset: no FIN
 * exchange and no {@code TIME_WAIT} socket left behind per probe (what HAProxy does for its checks). Agent checks
 * then read one line (up to 512 bytes, or until the server closes) within the same timeout and parse it as an
 * {@link AgentReport}. Plain-HTTP checks (HTTP and HTTP agent; not HTTPS) run on the same loop: connect, write one
 * HTTP/1.1 request, read the status line, headers and as much body as the check needs ({@link HttpExchange}), all
 * within the timeout, then close with a reset, unless the check reuses its connection
 * ({@link HealthCheck#reuseConnection()}) and the answer was a success that allows it: then the connection stays open,
 * watched for reads, and the next probe of the same address and check sends its request on it
 * ({@link HttpTargetState}). A kept connection that the server closes or writes to while idle is closed; one it
 * closes or resets before the first byte of the answer to a reused request is not a failure: the probe connects
 * again at once, once, within the same timeout. {@link #release} closes what is kept for a check no longer used,
 * {@link #close} everything. IP literals are parsed without a lookup; host names are resolved first on a dedicated
 * resolver thread, so a slow DNS lookup never blocks the scheduler. Thread-safe: {@link #probe} and {@link #release}
 * may be called from any thread.
 */
public final class TcpProbe implements Probe {

    static final int MAX_AGENT_LINE = 512;

    private final ExecutorService resolver;
    private final Selector selector;
    private final Queue<Attempt> incoming = new ConcurrentLinkedQueue<>();
    private final Map<TargetKey, HttpTargetState> httpTargets = new ConcurrentHashMap<>();
    private final Queue<HttpTargetState> released = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Attempt> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0));
    private final Thread thread;
    private volatile boolean closed;

    public TcpProbe() {
        this.resolver = Executors.newSingleThreadExecutor(r -> daemon(r, "switchboard-health-dns"));
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = daemon(this::loop, "switchboard-health-tcp");
        thread.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
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
    public void probe(Address address, HealthCheck check, Consumer<ProbeOutcome> callback) {
        Attempt a = new Attempt(check, callback, System.nanoTime());
        if (check.type() == HealthCheck.Type.HTTP || check.type() == HealthCheck.Type.HTTP_AGENT) {
            try {
                a.target = httpTargets.computeIfAbsent(new TargetKey(address, check),
                        k -> new HttpTargetState(k.address(), k.check()));
            } catch (RuntimeException e) {
                callback.accept(ProbeOutcome.failed("bad request: " + e.getMessage(), 0));
                return;
            }
        }
        if (isIpLiteral(address.host())) {
            a.to = new InetSocketAddress(address.host(), address.port()); // a literal: parsed, not looked up
            enqueue(a);
            return;
        }
        enqueue(a); // its timeout runs while the name is resolved
        try {
            resolver.execute(() -> {
                a.to = new InetSocketAddress(address.host(), address.port());
                enqueue(a);
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing more is reported
        }
    }

    /** Closes the connection kept for plain-HTTP probes of {@code check} on {@code address}, if any. */
    @Override
    public void release(Address address, HealthCheck check) {
        HttpTargetState t = httpTargets.remove(new TargetKey(address, check));
        if (t != null && !closed) {
            released.add(t);
            selector.wakeup();
        }
    }

    private void enqueue(Attempt a) {
        if (closed) {
            return;
        }
        incoming.add(a);
        selector.wakeup(); // coalesced by the selector until its next select
    }

    private void loop() {
        try {
            while (!closed) {
                while (!deadlines.isEmpty() && deadlines.peek().done) {
                    deadlines.poll();
                }
                Attempt first = deadlines.peek();
                long waitMillis = first == null ? 0
                        : Math.max(1, (first.deadline - System.nanoTime() + 999_999) / 1_000_000);
                selector.select(waitMillis);
                for (SelectionKey key : selector.selectedKeys()) { // before new probes take idle connections
                    if (!key.isValid()) {
                        continue; // closed by a probe handled before in this round
                    }
                    if (key.attachment() instanceof Attempt a) {
                        ready(key, a);
                    } else {
                        ((HttpTargetState) key.attachment()).idleReadable(key);
                    }
                }
                selector.selectedKeys().clear();
                for (HttpTargetState t; (t = released.poll()) != null; ) {
                    t.release();
                }
                for (Attempt a; (a = incoming.poll()) != null; ) {
                    start(a);
                }
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: nothing more is reported
        } finally {
            closeAll();
        }
    }

    private void start(Attempt a) {
        if (a.done || a.channel != null) {
            return;
        }
        if (!a.timed) {
            a.timed = true;
            deadlines.add(a);
        }
        InetSocketAddress to = a.to;
        if (to == null) {
            return; // the resolver enqueues it again
        }
        if (to.isUnresolved()) {
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
        try {
            // an IPv4 socket for an IPv4 target: no dual-stack option set per probe
            a.channel = to.getAddress() instanceof Inet4Address ? SocketChannel.open(StandardProtocolFamily.INET)
                    : SocketChannel.open();
            a.channel.configureBlocking(false);
            a.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            // on loopback and fast networks the handshake is often done when connect returns: then the probe
            // needs no selector registration, no wake-up and no deregistration
            if (a.channel.connect(to) || a.channel.finishConnect()) {
                connected(a);
            } else {
                a.key = a.channel.register(selector, SelectionKey.OP_CONNECT, a);
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

    private void ready(SelectionKey key, Attempt a) {
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
        if (a.http != null) {
            if (a.key == null) {
                a.key = a.channel.register(selector, 0, a);
            }
            write(a);
            return;
        }
        if (a.check.type() != HealthCheck.Type.AGENT) {
            a.finish(ProbeOutcome.ok("connected", System.nanoTime() - a.start));
            return;
        }
        a.buffer = ByteBuffer.allocate(MAX_AGENT_LINE);
        if (a.key == null) {
            a.key = a.channel.register(selector, SelectionKey.OP_READ, a);
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
            a.finish(ProbeOutcome.agent(AgentReport.parse(text), System.nanoTime() - a.start));
        }
    }

    /** Writes what the socket takes of the request; then waits for the answer. */
    private static void write(Attempt a) throws IOException {
        ByteBuffer request = a.http.request();
        a.channel.write(request);
        a.key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
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

    private void expire(long now) {
        Attempt a;
        while ((a = deadlines.peek()) != null && (a.done || a.deadline - now <= 0)) {
            deadlines.poll();
            a.finish(ProbeOutcome.failed("timeout", now - a.start));
        }
    }

    private static ProbeOutcome failure(Throwable e, long start) {
        String reason = e instanceof ConnectException ? "connection refused" : "io error: " + e;
        return ProbeOutcome.failed(reason, System.nanoTime() - start);
    }

    private void closeAll() {
        for (Attempt a : deadlines) {
            a.close();
        }
        for (SelectionKey key : selector.keys()) { // idle kept connections
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // nothing to do: shutting down
            }
        }
        deadlines.clear();
        incoming.clear();
        httpTargets.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do: shutting down
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        resolver.shutdown();
    }

    private record TargetKey(Address address, HealthCheck check) {
    }
}
