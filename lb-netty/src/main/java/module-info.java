/**
 * Switchboard on Netty: the reference gateway's HTTP/1.1, HTTP/2 (from clients) and layer-4 proxy as a library.
 * Exported:
 * {@code dev.switchboard.netty} ({@code HttpProxy}, {@code HttpProxyChannels}, {@code TcpProxy},
 * {@code GatewayListener}), {@code dev.switchboard.netty.settings} (listener settings, timeouts, limits),
 * {@code dev.switchboard.netty.limit} (connection budget and limits, their counters) and
 * {@code dev.switchboard.netty.transport} ({@code NettyTransport}). Everything in
 * {@code dev.switchboard.netty.internal.*} is implementation and not exported. No logging binding, no JSON.
 */
module dev.switchboard.netty {
    requires transitive dev.switchboard.engine;
    requires transitive dev.switchboard.tls;
    requires transitive io.netty.transport;     // Channel, EventLoopGroup, ChannelInitializer in the API

    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;
    requires io.netty.codec.haproxy;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires java.management;              // the connection budget reads the file-descriptor limit
    requires jdk.management;               // ... through com.sun.management.UnixOperatingSystemMXBean
    requires org.slf4j;

    exports dev.switchboard.netty;
    exports dev.switchboard.netty.limit;
    exports dev.switchboard.netty.settings;
    exports dev.switchboard.netty.transport;
}
