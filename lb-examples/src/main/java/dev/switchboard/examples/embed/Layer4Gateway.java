package dev.switchboard.examples.embed;

import dev.switchboard.api.Decision;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.TcpConnection;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannel;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.UnresolvedAddressException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Layer 4 without Netty: the engine behind a {@code tcp} virtual service on the JDK's non-blocking NIO.2 sockets,
 * with only lb-api, lb-engine and lb-tls. Per client: read its first bytes (a ClientHello of at most
 * {@link #HELLO_LIMIT} bytes, or what came within {@link #SNIFF_WAIT_MILLIS} when the server speaks first); dispatch
 * a {@link TcpConnection} with the SNI and session ID; connect to the real server chosen (one that refuses gets its
 * lease released as a {@code CONNECT} failure, and the connection is dispatched again, at most {@link #MAX_RETRIES}
 * times); replay the sniffed bytes; relay both ways; report the session ID of the server's ServerHello with
 * {@code onTlsSession}, so that {@code ssl-session-id} persistence brings a resuming client back; release the lease
 * once, with the bytes counted. No thread waits: every step is a completion handler or a future callback.
 * <pre>{@code
 * DispatchEngine engine = DispatchEngine.create(model); // with a Protocol.TCP virtual service "imaps"
 * Layer4Gateway gateway = Layer4Gateway.start(engine, "imaps", new InetSocketAddress(993));
 * }</pre>
 * Thread-safe. {@link #close()} cuts the connections still open and releases their leases; the engine stays the
 * host's. Give real servers IP addresses: a host name would be resolved on an I/O thread.
 */
public final class Layer4Gateway implements AutoCloseable {

    /** The most bytes read to find a ClientHello: the longest hello, its handshake header, a few record headers. */
    public static final int HELLO_LIMIT = TlsHellos.MAX_HELLO_LENGTH + 4 + 5 * 8;
    /** How long to wait for a client's first bytes before dispatching without them. */
    public static final long SNIFF_WAIT_MILLIS = 300;
    /** How many times a connection is dispatched again after real servers refused it. */
    public static final int MAX_RETRIES = 2;
    private static final long CONNECT_TIMEOUT = 3_000;

    private enum Phase { SNIFF, DISPATCH, RELAY, CLOSED }

    private final DispatchEngine engine;
    private final String virtualService;
    private final AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, daemon("l4-io"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("l4-timer"));
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AsynchronousServerSocketChannel listener;

    private Layer4Gateway(DispatchEngine engine, String virtualService, InetSocketAddress listen) throws IOException {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.virtualService = Objects.requireNonNull(virtualService, "virtualService");
        this.listener = AsynchronousServerSocketChannel.open(group).bind(listen, 128);
        accept();
    }

    /** Listens on {@code listen} (port 0 picks one). @throws IOException when it cannot be bound */
    public static Layer4Gateway start(DispatchEngine engine, String virtualService, InetSocketAddress listen)
            throws IOException {
        return new Layer4Gateway(engine, virtualService, listen);
    }

    /** The bound address. @throws IOException when closed */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void accept() {
        listener.accept(null, handler((AsynchronousSocketChannel client) -> {
            accept();
            try {
                new Connection(client).start();
            } catch (IOException gone) {
                closeQuietly(client);
            }
        }, e -> {
            if (listener.isOpen()) { // out of file descriptors, say: try again shortly
                timer.schedule(this::accept, 100, MILLISECONDS);
            }
        }));
    }

    @Override
    public void close() throws IOException {
        closeQuietly(listener);
        open.forEach(c -> c.close(Outcome.Failure.CANCELLED));
        timer.shutdownNow();
        group.shutdownNow();
    }

    /** One client connection. Its state changes under its own lock; nothing done under the lock waits. */
    private final class Connection {
        private final AsynchronousSocketChannel client;
        private final Set<String> refused = new HashSet<>(); // real servers that refused this connection
        private final ByteBuffer fromServer = ByteBuffer.allocate(16 * 1024);
        private ByteBuffer fromClient = ByteBuffer.allocate(16 * 1024); // the sniffed bytes first
        private ByteBuffer serverHello; // a copy of the server's first bytes until its ServerHello parses (TLS)
        private TcpConnection view;
        private Phase phase = Phase.SNIFF;
        private boolean reading;
        private boolean clientEof;
        private int parseAt = 1;
        private int retries;
        private int ended; // directions whose end was passed on
        private ScheduledFuture<?> sniffTimer;
        private CompletableFuture<Decision> queued;
        private Decision.Forward lease;
        private AsynchronousSocketChannel server;
        private long leaseStart;
        private long bytesIn;
        private long bytesOut;

        Connection(AsynchronousSocketChannel client) throws IOException {
            this.client = client;
            this.view = TcpConnection.of(((InetSocketAddress) client.getRemoteAddress()).getAddress(),
                    ((InetSocketAddress) client.getLocalAddress()).getPort());
        }

        synchronized void start() {
            open.add(this);
            sniffTimer = timer.schedule(this::sniffTimedOut, SNIFF_WAIT_MILLIS, MILLISECONDS);
            readClient();
        }

        private void readClient() {
            reading = true;
            client.read(fromClient, null, handler(this::clientRead, e -> close(clientGone())));
        }

        private synchronized void clientRead(int n) {
            reading = false;
            clientEof |= n < 0;
            if (phase == Phase.SNIFF && (clientEof || sniffed())) {
                dispatch();
            } else if (phase == Phase.SNIFF) {
                readClient();
            } else if (phase == Phase.RELAY) {
                toServer();
            } // while dispatching, the bytes wait in fromClient
        }

        /** Whether sniffing is over: a ClientHello was read, or the bytes are not TLS, malformed or too long. */
        private boolean sniffed() {
            if (fromClient.position() < parseAt) {
                return false;
            }
            HelloResult r = TlsHellos.parseClientHello(fromClient.duplicate().flip());
            if (r instanceof HelloResult.NeedMoreBytes more && more.atLeast() <= HELLO_LIMIT) {
                parseAt = more.atLeast();
                fromClient = room(fromClient, parseAt - fromClient.position());
                return false;
            }
            if (r instanceof HelloResult.ClientHello hello) {
                view = new TcpConnection(view.sourceAddress(), view.destinationPort(), hello.serverName(),
                        hello.sessionId());
                serverHello = ByteBuffer.allocate(512);
            }
            return true;
        }

        private synchronized void sniffTimedOut() {
            if (phase == Phase.SNIFF) {
                dispatch(); // the read stays pending; its bytes go to the server once relaying
            }
        }

        private void dispatch() {
            sniffTimer.cancel(false);
            phase = Phase.DISPATCH;
            onDecision(engine.dispatch(virtualService, view));
        }

        private void onDecision(Decision d) {
            if (d instanceof Decision.Forward f && refused.contains(f.target().server()) && !f.target().sorry()) {
                f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0)); // not that one again: ask once more
                retryOrClose();
            } else if (d instanceof Decision.Forward f) {
                connect(f);
            } else if (d instanceof Decision.Queued q) { // every server at its limit: wait, without a thread
                queued = q.future();
                queued.whenCompleteAsync((next, e) -> afterQueue(next), timer);
            } else {
                close(Outcome.Failure.NONE); // a Respond (nothing eligible): refuse the connection
            }
        }

        private synchronized void afterQueue(Decision next) {
            queued = null;
            if (phase != Phase.CLOSED) {
                onDecision(next != null ? next : Decision.Respond.of(503, "queue failed"));
            } else if (next instanceof Decision.Forward late) { // the client left meanwhile
                late.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
            }
        }

        private void connect(Decision.Forward f) {
            lease = f;
            leaseStart = System.nanoTime();
            try {
                AsynchronousSocketChannel s = AsynchronousSocketChannel.open(group);
                server = s;
                ScheduledFuture<?> timeout = timer.schedule(() -> closeQuietly(s), CONNECT_TIMEOUT, MILLISECONDS);
                s.connect(new InetSocketAddress(f.target().address().host(), f.target().address().port()), null,
                        handler((Void v) -> connected(timeout), e -> connectFailed(f, timeout)));
            } catch (IOException | UnresolvedAddressException e) {
                connectFailed(f, null);
            }
        }

        private synchronized void connected(ScheduledFuture<?> timeout) {
            timeout.cancel(false);
            if (phase == Phase.CLOSED) {
                return; // close() released the lease and closed the socket
            }
            phase = Phase.RELAY;
            readServer();
            if (!reading) {
                toServer(); // replays the sniffed bytes; else the pending read brings them along with its own
            }
        }

        private synchronized void connectFailed(Decision.Forward f, ScheduledFuture<?> timeout) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (phase != Phase.CLOSED) {
                closeQuietly(server);
                lease = null;
                f.release(new Outcome(0, Outcome.Failure.CONNECT, System.nanoTime() - leaseStart, 0, 0));
                refused.add(f.target().server());
                retryOrClose();
            }
        }

        private void retryOrClose() {
            if (retries++ < MAX_RETRIES) {
                dispatch(); // a retry is a new dispatch, with a new lease
            } else {
                close(Outcome.Failure.CONNECT);
            }
        }

        /** Relaying, no client read pending: sends what fromClient holds, then reads on or passes the end on. */
        private void toServer() {
            if (fromClient.position() > 0) {
                bytesIn += fromClient.flip().remaining();
                write(server, fromClient, this::toServer, Outcome.Failure.RESET);
            } else if (clientEof) {
                shutdownOutput(server);
                closeIfBothEnded();
            } else {
                readClient();
            }
        }

        private void readServer() {
            server.read(fromServer, null, handler(this::serverRead, e -> close(Outcome.Failure.RESET)));
        }

        private synchronized void serverRead(int n) {
            if (phase != Phase.RELAY) {
                return;
            }
            if (n < 0) {
                shutdownOutput(client);
                closeIfBothEnded();
                return;
            }
            bytesOut += fromServer.flip().remaining();
            if (serverHello != null) {
                watchServerHello();
            }
            write(client, fromServer, this::readServer, Outcome.Failure.NONE);
        }

        /** Copies the server's first bytes until its ServerHello parses; reports the TLS 1.2 session ID chosen. */
        private void watchServerHello() {
            int n = Math.min(fromServer.remaining(), HELLO_LIMIT - serverHello.position());
            serverHello = room(serverHello, n).put(fromServer.duplicate().limit(fromServer.position() + n));
            HelloResult r = TlsHellos.parseServerHello(serverHello.duplicate().flip());
            if (r instanceof HelloResult.NeedMoreBytes more && more.atLeast() <= HELLO_LIMIT) {
                return;
            }
            serverHello = null;
            if (r instanceof HelloResult.ServerHello hello) {
                lease.onTlsSession(hello.resumableSessionId());
            }
        }

        private void write(AsynchronousSocketChannel to, ByteBuffer b, Runnable then, Outcome.Failure failure) {
            to.write(b, null, handler((Integer n) -> {
                synchronized (this) {
                    if (phase == Phase.RELAY && b.hasRemaining()) {
                        write(to, b, then, failure);
                    } else if (phase == Phase.RELAY) {
                        b.clear();
                        then.run();
                    }
                }
            }, e -> close(failure)));
        }

        private Outcome.Failure clientGone() { // a client that leaves is no failure of the real server
            return phase == Phase.RELAY ? Outcome.Failure.NONE : Outcome.Failure.CANCELLED;
        }

        private void closeIfBothEnded() {
            if (++ended == 2) {
                close(Outcome.Failure.NONE);
            }
        }

        /** Ends the connection once: releases the lease (if any) with what happened, closes both sides. */
        synchronized void close(Outcome.Failure failure) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            open.remove(this);
            sniffTimer.cancel(false);
            if (queued != null) {
                queued.cancel(false); // a forward that still comes is released by the engine or afterQueue
            }
            if (lease != null) {
                lease.release(new Outcome(0, failure, System.nanoTime() - leaseStart, bytesIn, bytesOut));
            }
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** {@code b}, or a larger copy of it, with room for {@code n} more bytes. */
    private static ByteBuffer room(ByteBuffer b, int n) {
        int size = Math.max(Math.min(2 * b.capacity(), HELLO_LIMIT), b.position() + n);
        return b.remaining() >= n ? b : ByteBuffer.allocate(size).put(b.flip());
    }

    private static <V> CompletionHandler<V, Void> handler(Consumer<V> done, Consumer<Throwable> failed) {
        return new Handler<>(done, failed);
    }

    /** A completion handler from two lambdas. */
    private record Handler<V>(Consumer<V> done, Consumer<Throwable> fail) implements CompletionHandler<V, Void> {
        @Override public void completed(V result, Void unused) { done.accept(result); }
        @Override public void failed(Throwable e, Void unused) { fail.accept(e); }
    }

    private static void shutdownOutput(AsynchronousSocketChannel ch) {
        try {
            ch.shutdownOutput();
        } catch (IOException e) { // gone already: its read says so
        }
    }

    private static void closeQuietly(AsynchronousChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) { // closing anyway
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
