package dev.switchboard.netty.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The I/O a {@link NettyTransport}'s loops run on, and its channel classes: io_uring where it loads (Linux 5.14 and
 * later, not refused by a seccomp profile), epoll where that loads, NIO everywhere. io_uring is the default because
 * it measured cheaper: about 0.8x the gateway's CPU per request of epoll over TLS keep-alive (docs/benchmarks.md).
 * Stateless.
 */
enum IoKind {
    IO_URING("io_uring", IoUring::isAvailable, IoUring::unavailabilityCause, IoUringIoHandler::newFactory,
            IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringIoHandler.class),
    EPOLL("epoll", Epoll::isAvailable, Epoll::unavailabilityCause, EpollIoHandler::newFactory,
            EpollServerSocketChannel.class, EpollSocketChannel.class, EpollIoHandler.class),
    NIO("nio", () -> true, () -> null, NioIoHandler::newFactory, NioServerSocketChannel.class,
            NioSocketChannel.class, NioIoHandler.class);

    /** The system property that picks the I/O: {@code auto} (default), {@code io_uring}, {@code epoll}, {@code nio}. */
    static final String PROPERTY = "switchboard.transport";

    private final String configName;
    private final BooleanSupplier available;
    private final Supplier<Throwable> cause;
    private final Supplier<IoHandlerFactory> factory;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final Class<? extends Channel> channelClass;
    private final Class<? extends IoHandler> handlerClass;

    IoKind(String configName, BooleanSupplier available, Supplier<Throwable> cause, Supplier<IoHandlerFactory> factory,
            Class<? extends ServerChannel> serverChannelClass, Class<? extends Channel> channelClass,
            Class<? extends IoHandler> handlerClass) {
        this.configName = configName;
        this.available = available;
        this.cause = cause;
        this.factory = factory;
        this.serverChannelClass = serverChannelClass;
        this.channelClass = channelClass;
        this.handlerClass = handlerClass;
    }

    /**
     * The I/O that {@code property} names ({@link #PROPERTY}'s value, {@code null} when unset); {@code auto}, blank
     * or unset means the first of io_uring, epoll and NIO that loads. Without {@code preferNative}, NIO whatever the
     * property says.
     *
     * @throws IllegalArgumentException naming the property and the value when it is none of those names
     * @throws IllegalStateException when the I/O it names does not load here, with the reason
     */
    static IoKind choose(String property, boolean preferNative) {
        String name = property == null ? "auto" : property.trim();
        IoKind named = null;
        for (IoKind k : values()) {
            if (k.configName.equals(name)) {
                named = k;
            }
        }
        if (named == null && !name.equals("auto") && !name.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + ": '" + property
                    + "' (expected: auto, io_uring, epoll or nio)");
        }
        if (!preferNative) {
            return NIO;
        }
        if (named != null) {
            if (!named.available()) {
                Throwable why = named.cause.get();
                throw new IllegalStateException(PROPERTY + "=" + name + ": " + name + " does not load here (" + why
                        + ")", why);
            }
            return named;
        }
        return IO_URING.available() ? IO_URING : EPOLL.available() ? EPOLL : NIO;
    }

    /** The I/O that {@code group}'s loops run, NIO when it is not one of these. */
    static IoKind of(EventLoopGroup group) {
        for (IoKind k : values()) {
            if (group instanceof IoEventLoopGroup io && io.isIoType(k.handlerClass)) {
                return k;
            }
        }
        return NIO;
    }

    /** Whether this I/O loads here. */
    boolean available() {
        return available.getAsBoolean();
    }

    IoHandlerFactory factory() {
        return factory.get();
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return serverChannelClass;
    }

    Class<? extends Channel> channelClass() {
        return channelClass;
    }

    String configName() {
        return configName;
    }
}
