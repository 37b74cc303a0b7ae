package dev.switchboard.netty.internal.tcp;


import dev.switchboard.api.Address;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.TcpConnection;
import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeader;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderSender;
import dev.switchboard.tls.TlsHellos;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a {@code TcpProxy}: sniff, dispatch, connect (with retries), relay, release. Every method
 * runs on the client channel's event loop (the upstream channel is registered on the same loop), so no field needs
 * a lock. Not thread-safe by itself.
 */
final class TcpSession {

    /** The most bytes buffered to read a hello: the largest hello, its handshake header, a few record headers. */
    static final int HELLO_LIMIT = TlsHellos.MAX_HELLO_LENGTH + 4 + 5 * 8;

    private static final Logger LOG = LoggerFactory.getLogger(TcpSession.class);

    private enum Phase { SNIFFING, DISPATCHING, CONNECTING, RELAYING, CLOSED }

    private final Channel client;
    private final TcpRoute route;
    private final Set<String> failedServers = new HashSet<>();
    private final ClientHelloSniff sniff = new ClientHelloSniff();
    private Phase phase = Phase.SNIFFING;
    private ScheduledFuture<?> sniffTimer;
    private CompletableFuture<Decision> queued;
    private Decision.Forward lease;
    private long leaseStart;
    private int retries;
    private Channel upstream;
    private ServerHelloWatch watch;
    private boolean clientInputShut;
    private boolean serverInputShut;
    private long bytesIn;
    private long bytesOut;

    TcpSession(Channel client, TcpRoute route) {
        this.client = client;
        this.route = route;
    }

    // ---- sniffing

    void start() {
        sniffTimer = client.eventLoop().schedule(this::sniffTimedOut, route.sniffWait().toNanos(),
                TimeUnit.NANOSECONDS);
        client.read();
    }

    void onClientBytes(ByteBuf bytes) {
        switch (phase) {
            case SNIFFING -> {
                sniff.append(client.alloc(), bytes);
                if (sniff.parse(client)) {
                    endSniff();
                } else {
                    client.read();
                }
            }
            case DISPATCHING, CONNECTING -> sniff.append(client.alloc(), bytes);
            case RELAYING -> {
                bytesIn += bytes.readableBytes();
                upstream.write(bytes, upstream.voidPromise());
                if (!upstream.isWritable()) {
                    client.config().setAutoRead(false);
                }
            }
            case CLOSED -> bytes.release();
        }
    }

    private void sniffTimedOut() {
        if (phase == Phase.SNIFFING) {
            LOG.debug("{}: {} bytes after {}; dispatching without TLS information", client, sniff.size(),
                    route.sniffWait());
            endSniff();
        }
    }

    private void endSniff() {
        sniffTimer.cancel(false);
        phase = Phase.DISPATCHING;
        dispatch();
    }

    // ---- dispatching and connecting

    private void dispatch() {
        InetSocketAddress remote = ClientAddress.findRemote(client).orElse(null); // PROXY protocol: carried
        InetSocketAddress local = (InetSocketAddress) client.localAddress();
        if (remote == null || local == null) {
            close(Outcome.Failure.CANCELLED, false);
            return;
        }
        Decision decision;
        try {
            decision = route.dispatcher().apply(new TcpConnection(remote.getAddress(), local.getPort(),
                    sniff.serverName(), sniff.sessionId()));
        } catch (RuntimeException e) {
            LOG.warn("{}: dispatch threw; closing the connection", client, e);
            close(Outcome.Failure.CANCELLED, false);
            return;
        }
        onDecision(decision);
    }

    private void onDecision(Decision decision) {
        if (decision instanceof Decision.Forward forward) {
            if (failedServers.contains(forward.target().server()) && !forward.target().sorry()) {
                forward.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
                retryOrClose("picked " + forward.target().server() + " again");
            } else {
                connect(forward);
            }
        } else if (decision instanceof Decision.Queued q) {
            queued = q.future();
            q.future().whenComplete((d, e) -> {
                try {
                    client.eventLoop().execute(() -> afterQueue(d, e));
                } catch (RejectedExecutionException shuttingDown) {
                    if (d instanceof Decision.Forward late) {
                        late.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
                    }
                }
            });
        } else {
            LOG.debug("{}: not forwarded ({}); closing", client, decision);
            close(Outcome.Failure.NONE, false);
        }
    }

    private void afterQueue(Decision decision, Throwable error) {
        queued = null;
        if (phase == Phase.CLOSED) {
            if (decision instanceof Decision.Forward late) {
                late.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
            }
            return;
        }
        if (error != null || decision == null) {
            close(Outcome.Failure.CANCELLED, false);
            return;
        }
        onDecision(decision);
    }

    private void connect(Decision.Forward forward) {
        phase = Phase.CONNECTING;
        lease = forward;
        leaseStart = System.nanoTime();
        Address target = forward.target().address();
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channel(route.transport().layer4ChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, route.settings().timeouts().connect().toMillis()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ServerSide(this));
        bootstrap.connect(InetSocketAddress.createUnresolved(target.host(), target.port()))
                .addListener((ChannelFuture f) -> connected(forward, f));
    }

    private void connected(Decision.Forward forward, ChannelFuture f) {
        if (phase != Phase.CONNECTING || lease != forward) {
            f.channel().close();
            return;
        }
        if (f.isSuccess()) {
            upstream = f.channel();
            relay();
            return;
        }
        LOG.debug("{}: cannot connect to {} ({}): {}", client, forward.target().server(), forward.target().address(),
                f.cause().toString());
        forward.release(new Outcome(0, Outcome.Failure.CONNECT, System.nanoTime() - leaseStart, 0, 0));
        lease = null;
        failedServers.add(forward.target().server());
        retryOrClose("connect failed");
    }

    private void retryOrClose(String why) {
        if (retries >= route.settings().limits().maxRetries()) {
            LOG.debug("{}: {} and {} retries used; closing", client, why, retries);
            close(Outcome.Failure.CONNECT, false);
            return;
        }
        retries++;
        phase = Phase.DISPATCHING;
        dispatch();
    }

    // ---- relaying

    private void relay() {
        phase = Phase.RELAYING;
        // the PROXY header (if the real server takes one) is written at once, before any client byte
        ProxyHeader.find(lease.target().proxyProtocol(), client)
                .ifPresent(header -> ProxyHeaderSender.addFirst(upstream, header));
        ByteBuf sniffed = sniff.take();
        if (sniffed.isReadable()) {
            bytesIn += sniffed.readableBytes();
            upstream.write(sniffed, upstream.voidPromise());
        } else {
            sniffed.release();
        }
        upstream.flush();
        if (sniff.isTls()) {
            watch = new ServerHelloWatch();
        }
        upstream.config().setAutoRead(true);
        if (clientInputShut) {
            shutdownOutput(upstream);
        } else {
            client.config().setAutoRead(true);
        }
    }

    void onClientReadComplete() {
        if (phase == Phase.RELAYING) {
            upstream.flush();
        }
    }

    void onServerBytes(Channel from, ByteBuf bytes) {
        if (phase != Phase.RELAYING || from != upstream) {
            bytes.release();
            return;
        }
        bytesOut += bytes.readableBytes();
        if (watch != null) {
            String chosen = watch.inspect(bytes);
            if (!chosen.isEmpty()) {
                lease.onTlsSession(chosen);
            }
            if (watch.isDone()) {
                watch = null;
            }
        }
        client.write(bytes, client.voidPromise());
        if (!client.isWritable()) {
            upstream.config().setAutoRead(false);
        }
    }

    void onServerReadComplete(Channel from) {
        if (phase == Phase.RELAYING && from == upstream) {
            client.flush();
        }
    }

    void onClientWritabilityChanged() {
        if (phase == Phase.RELAYING && client.isWritable() && !serverInputShut) {
            upstream.config().setAutoRead(true);
        }
    }

    void onServerWritabilityChanged(Channel from) {
        if (phase == Phase.RELAYING && from == upstream && upstream.isWritable() && !clientInputShut) {
            client.config().setAutoRead(true);
        }
    }

    // ---- ends

    void onClientInputShutdown() {
        clientInputShut = true;
        if (phase == Phase.SNIFFING) {
            endSniff();
        } else if (phase == Phase.RELAYING) {
            shutdownOutput(upstream);
            finishIfBothDone();
        }
    }

    void onServerInputShutdown(Channel from) {
        if (phase != Phase.RELAYING || from != upstream) {
            return;
        }
        serverInputShut = true;
        shutdownOutput(client);
        finishIfBothDone();
    }

    private void finishIfBothDone() {
        if (clientInputShut && serverInputShut) {
            close(Outcome.Failure.NONE, true);
        }
    }

    void onIdle() {
        LOG.debug("{}: idle for {}; closing", client, route.settings().timeouts().clientIdle());
        close(phase == Phase.RELAYING && bytesOut > 0 ? Outcome.Failure.NONE : Outcome.Failure.TIMEOUT, false);
    }

    void onClientClosed() {
        close(phase == Phase.RELAYING ? Outcome.Failure.NONE : Outcome.Failure.CANCELLED, true);
    }

    void onServerClosed(Channel from) {
        if (from == upstream) {
            close(Outcome.Failure.NONE, true);
        }
    }

    void onClientError(Throwable cause) {
        log("client", cause);
        close(phase == Phase.RELAYING ? Outcome.Failure.NONE : Outcome.Failure.CANCELLED, false);
    }

    void onServerError(Channel from, Throwable cause) {
        if (from == upstream) {
            log("real server", cause);
            close(Outcome.Failure.RESET, false);
        }
    }

    private void log(String side, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{}: {} side: {}", client, side, cause.toString());
        } else {
            LOG.warn("{}: {} side failed", client, side, cause);
        }
    }

    /** Ends the connection once: releases the lease (if any) with what happened, frees buffers, closes both sides. */
    private void close(Outcome.Failure failure, boolean flushFirst) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        if (sniffTimer != null) {
            sniffTimer.cancel(false);
        }
        if (queued != null) {
            queued.cancel(false);
        }
        sniff.release();
        if (watch != null) {
            watch.finish();
        }
        if (lease != null) {
            lease.release(new Outcome(0, failure, System.nanoTime() - leaseStart, bytesIn, bytesOut));
        }
        closeChannel(client, flushFirst);
        if (upstream != null) {
            closeChannel(upstream, flushFirst);
        }
    }

    private static void closeChannel(Channel ch, boolean flushFirst) {
        if (flushFirst && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    private static void shutdownOutput(Channel ch) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (ch instanceof DuplexChannel duplex && ch.isActive()) {
                duplex.shutdownOutput();
            }
        });
    }
}
