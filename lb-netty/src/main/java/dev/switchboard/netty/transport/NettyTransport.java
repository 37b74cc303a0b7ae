package dev.switchboard.netty.transport;

import dev.switchboard.netty.limit.ConnectionBudget;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel classes every listener and upstream connection of one gateway shares: io_uring where
 * it loads, else epoll where that loads, else NIO; the system property {@code switchboard.transport} ({@code auto},
 * {@code io_uring}, {@code epoll} or {@code nio}) picks one. One acceptor thread, {@code workers} I/O threads
 * (default: the number of cores). Thread-safe; close it once, after every channel on it is closed.
 */
public final class NettyTransport implements AutoCloseable {

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final IoKind io;
    private final ConnectionBudget connectionBudget;
    private final boolean owned;
    private final int workerThreads;
    private EventLoopGroup layer4; // NIO loops for layer 4 on a native transport, made on first use (guarded by this)

    private NettyTransport(int workerThreads, IoKind io, ConnectionBudget connectionBudget) {
        BufferCaches.noteOnce();
        this.connectionBudget = connectionBudget;
        this.io = io;
        this.acceptors = new MultiThreadIoEventLoopGroup(1, io.factory());
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, io.factory());
        this.owned = true;
        this.workerThreads = workerThreads;
    }

    private NettyTransport(EventLoopGroup acceptors, EventLoopGroup workers, ConnectionBudget connectionBudget) {
        BufferCaches.noteOnce();
        this.acceptors = acceptors;
        this.workers = workers;
        this.connectionBudget = connectionBudget;
        this.io = IoKind.of(workers);
        this.owned = false;
        this.workerThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The host's own event loops, for {@link dev.switchboard.netty.HttpProxyChannels} in a server the host bootstraps:
     * upstream connections use io_uring or epoll channels when {@code workers} runs that, NIO otherwise.
     * {@link #close()} leaves both groups running (the host shuts them down). The connection budget is derived from
     * the file-descriptor limit.
     */
    public static NettyTransport wrap(EventLoopGroup acceptors, EventLoopGroup workers) {
        return new NettyTransport(Objects.requireNonNull(acceptors, "acceptors"),
                Objects.requireNonNull(workers, "workers"), ConnectionBudget.ofDescriptorLimit());
    }

    /**
     * io_uring, else epoll, where available (or what {@code switchboard.transport} names), one I/O thread per core.
     * The system property {@code switchboard.ioThreads} (a positive integer) overrides the number of I/O threads; an
     * unset, non-numeric or non-positive value is ignored.
     */
    public static NettyTransport create() {
        return create(ioThreads(System.getProperty(IO_THREADS_PROPERTY), Runtime.getRuntime().availableProcessors()),
                true);
    }

    /** The system property that sets the number of I/O threads {@link #create()} starts. */
    public static final String IO_THREADS_PROPERTY = "switchboard.ioThreads";

    /** {@code property} as a positive thread count, or {@code cores} when it is unset or not one. */
    static int ioThreads(String property, int cores) {
        if (property != null) {
            try {
                int n = Integer.parseInt(property.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall back to one per core
            }
        }
        return Math.max(1, cores);
    }

    /**
     * @param workerThreads I/O threads (at least 1)
     * @param preferNative  use io_uring or epoll when one loads (or the one {@code switchboard.transport} names);
     *                      {@code false} forces NIO
     * @throws IllegalArgumentException when {@code switchboard.transport} is set to none of its names
     * @throws IllegalStateException when it names a native transport that does not load here
     */
    public static NettyTransport create(int workerThreads, boolean preferNative) {
        return create(workerThreads, preferNative, ConnectionBudget.ofDescriptorLimit());
    }

    /**
     * As {@link #create(int, boolean)}, with the gateway-wide connection cap given instead of derived from the
     * file-descriptor limit.
     */
    public static NettyTransport create(int workerThreads, boolean preferNative, ConnectionBudget connectionBudget) {
        return create(workerThreads, IoKind.choose(System.getProperty(IoKind.PROPERTY), preferNative),
                Objects.requireNonNull(connectionBudget, "connectionBudget"));
    }

    /** On {@code io}, which must load here (tests run every kind that does). */
    static NettyTransport create(int workerThreads, IoKind io, ConnectionBudget connectionBudget) {
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads: " + workerThreads + " (expected: >= 1)");
        }
        return new NettyTransport(workerThreads, io, connectionBudget);
    }

    /**
     * The cap on client connections that every proxy listener on this transport shares (the admin API is not
     * counted): derived from the file-descriptor limit unless given to {@link #create(int, boolean,
     * ConnectionBudget)}.
     */
    public ConnectionBudget connectionBudget() {
        return connectionBudget;
    }

    /** The group that accepts connections. */
    public EventLoopGroup acceptors() {
        return acceptors;
    }

    /** The group that runs every connection's I/O, client and upstream side. */
    public EventLoopGroup workers() {
        return workers;
    }

    /** The server channel class to bind listeners with. */
    public Class<? extends ServerChannel> serverChannelClass() {
        return io.serverChannelClass();
    }

    /** The channel class for connections to real servers. */
    public Class<? extends Channel> channelClass() {
        return io.channelClass();
    }

    /**
     * The loops of layer-4 (TCP relay) connections, accepting and relaying: {@link #workers()} on NIO; on io_uring or
     * epoll, a group of NIO loops of its own (as many threads as the workers, made on first use, closed with the
     * transport). Netty 4.2.18's epoll transport drops a half-closed socket from its epoll set once it has no interest
     * left (input shut, nothing waiting to be written), and the next write that has to wait then fails
     * ({@code epoll_ctl(..) failed with error(-2)}): a relay whose client half-closed would lose the end of the
     * server's answer; half-closed relays were not tried on io_uring. HTTP connections never half-close, so they stay
     * on the native transport.
     */
    public synchronized EventLoopGroup layer4Workers() {
        if (io == IoKind.NIO) {
            return workers;
        }
        if (layer4 == null) {
            layer4 = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
        }
        return layer4;
    }

    /** The server channel class for {@link #layer4Workers()}. */
    public Class<? extends ServerChannel> layer4ServerChannelClass() {
        return NioServerSocketChannel.class;
    }

    /** The channel class of layer-4 connections to real servers, on {@link #layer4Workers()}. */
    public Class<? extends Channel> layer4ChannelClass() {
        return NioSocketChannel.class;
    }

    /** {@code "io_uring"}, {@code "epoll"} or {@code "nio"}. */
    public String name() {
        return io.configName();
    }

    /**
     * Shuts both groups down, waiting at most a few seconds; leaves {@link #wrap wrapped} groups running. The layer-4
     * loops it made itself are shut down in both cases.
     */
    @Override
    public void close() {
        EventLoopGroup own4;
        synchronized (this) {
            own4 = layer4;
        }
        if (own4 != null) {
            shutdown(own4);
        }
        if (!owned) {
            return;
        }
        shutdown(acceptors, workers);
    }

    /** Shuts {@code groups} down together, waiting at most a few seconds for each. */
    private static void shutdown(EventLoopGroup... groups) {
        List<Future<?>> stopping = new ArrayList<>();
        for (EventLoopGroup g : groups) {
            stopping.add(g.shutdownGracefully(0, 2, TimeUnit.SECONDS));
        }
        try {
            for (Future<?> f : stopping) {
                f.get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // shutting down anyway; nothing to recover
        }
    }
}
