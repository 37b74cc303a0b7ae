package dev.switchboard.netty.internal.upstream;

import dev.switchboard.api.Address;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeader;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderSender;
import dev.switchboard.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline of a connection to a real server: the PROXY protocol header sender (first, so that the header goes
 * out in clear before everything) when the real server takes one, TLS (re-encryption) if configured, the idle
 * timer, the HTTP/1.1 client codec with strict response parsing, one message per read (back-pressure), and the
 * handler that hands events to the exchange holding the connection.
 */
final class UpstreamInitializer extends ChannelInitializer<Channel> {

    private final Address address;
    private final Optional<UpstreamTls> tls;
    private final Duration idle;
    private final Optional<ProxyHeader> header;

    UpstreamInitializer(Address address, Optional<UpstreamTls> tls, Duration idle, Optional<ProxyHeader> header) {
        this.address = address;
        this.tls = tls;
        this.idle = idle;
        this.header = header;
    }

    @Override
    protected void initChannel(Channel ch) {
        header.ifPresent(h -> ProxyHeaderSender.addFirst(ch, h));
        if (tls.isPresent()) {
            SslHandler ssl = new SslHandler(tls.get().newEngine(address.host(), address.port()));
            ssl.setHandshakeTimeoutMillis(10_000);
            ch.pipeline().addLast("tls", ssl);
        }
        HttpDecoderConfig responses = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(65536)
                .setMaxChunkSize(65536)
                .setHeadersFactory(LineHeaders.FACTORY)
                .setTrailersFactory(UpstreamCodec.SMALL_TRAILERS)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
        ch.pipeline().addLast("idle", new IdleTimeout(idle.toNanos()));
        UpstreamCodec.addTo(ch.pipeline(), responses);
        ch.pipeline().addLast("flow", new OneMessagePerRead(true))
                .addLast("exchange", new UpstreamHandler(new UpstreamHandler.PooledListener(ch)));
    }
}
