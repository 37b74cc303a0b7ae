package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.health.AgentReport;
import dev.switchboard.health.HealthCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * TCP connect probes on {@link AsynchronousSocketChannel} in a one-thread channel group: up when the connection is
 * accepted within the timeout, then closed at once. The timeout is enforced by closing the channel from the
 * checker's scheduler. Agent checks then read one line (up to 512 bytes, or until the server closes) within the
 * same timeout and parse it as an {@link AgentReport}. IP literals connect at once; host names are resolved first on a
 * dedicated resolver thread, so a slow DNS lookup never blocks the scheduler. Thread-safe.
 */
public final class TcpProbe implements Probe {

    static final int MAX_AGENT_LINE = 512;

    private final ScheduledExecutorService timer;
    private final ExecutorService resolver;
    private final AsynchronousChannelGroup group;

    public TcpProbe(ScheduledExecutorService timer) {
        this.timer = timer;
        this.resolver = Executors.newSingleThreadExecutor(daemon("switchboard-health-dns"));
        try {
            this.group = AsynchronousChannelGroup.withFixedThreadPool(1, daemon("switchboard-health-tcp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    @Override
    public void probe(Address address, HealthCheck check, Consumer<ProbeOutcome> callback) {
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            callback.accept(ProbeOutcome.failed("io error: " + e.getMessage(), 0));
            return;
        }
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                closeQuietly(channel);
                callback.accept(ProbeOutcome.failed("timeout", System.nanoTime() - start));
            }
        }, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        CompletionHandler<Void, Void> handler = new CompletionHandler<>() {
            @Override
            public void completed(Void v, Void attachment) {
                if (check.type() == HealthCheck.Type.AGENT) {
                    readLine(channel, ByteBuffer.allocate(MAX_AGENT_LINE),
                            r -> finish(r), start);
                } else {
                    finish(ProbeOutcome.ok("connected", System.nanoTime() - start));
                }
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                String reason = e instanceof ConnectException ? "connection refused" : "io error: " + e;
                finish(ProbeOutcome.failed(reason, System.nanoTime() - start));
            }

            private void finish(ProbeOutcome r) {
                if (done.compareAndSet(false, true)) {
                    timeout.cancel(false);
                    closeQuietly(channel);
                    callback.accept(r);
                }
            }
        };
        Runnable connect = () -> {
            try {
                InetSocketAddress to = new InetSocketAddress(address.host(), address.port());
                if (to.isUnresolved()) {
                    handler.failed(new IOException("unknown host " + address.host()), null);
                } else {
                    channel.connect(to, null, handler);
                }
            } catch (RuntimeException e) {
                handler.failed(e, null);
            }
        };
        if (isIpLiteral(address.host())) {
            connect.run();
        } else {
            try {
                resolver.execute(connect);
            } catch (RejectedExecutionException e) {
                handler.failed(e, null);
            }
        }
    }

    /** Reads until a line break, the end of the stream or a full buffer, then reports the parsed answer. */
    private static void readLine(AsynchronousSocketChannel channel, ByteBuffer buffer, Consumer<ProbeOutcome> done,
                                 long start) {
        try {
            channel.read(buffer, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void attachment) {
                    boolean eol = false;
                    for (int i = 0; i < buffer.position(); i++) {
                        eol |= buffer.get(i) == '\n';
                    }
                    if (n < 0 || eol || !buffer.hasRemaining()) {
                        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                        done.accept(ProbeOutcome.agent(AgentReport.parse(text), System.nanoTime() - start));
                    } else {
                        readLine(channel, buffer, done, start);
                    }
                }

                @Override
                public void failed(Throwable e, Void attachment) {
                    done.accept(ProbeOutcome.failed("agent: io error: " + e, System.nanoTime() - start));
                }
            });
        } catch (RuntimeException e) {
            done.accept(ProbeOutcome.failed("agent: io error: " + e, System.nanoTime() - start));
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the probe is over
        }
    }

    @Override
    public void close() {
        group.shutdown();
        resolver.shutdown();
    }
}
