package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderReader;
import dev.switchboard.netty.internal.upstream.IdleTimeout;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.tls.ServerTlsContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import dev.switchboard.netty.internal.upstream.LineHeaders;
import dev.switchboard.netty.internal.upstream.OneMessagePerRead;
import dev.switchboard.netty.internal.upstream.UpstreamCodec;
import java.util.Optional;

/**
 * The pipeline of an accepted client connection: the PROXY protocol reader first when the listener accepts it
 * (nothing behind it sees the connection as active before the header is in), TLS termination (SNI certificate
 * selection inside lb-tls) when the listener is https, the client idle timer, a strict HTTP/1.1 request decoder
 * bounded by the listener's limits, the response encoder, one message per read, and the connection's handler. On a
 * listener that offers HTTP/2 ({@link ListenerSettings#offersHttp2()}) a {@link ProtocolChoice} stands in for all
 * but TLS until ALPN or the first bytes say which protocol the connection speaks; HTTP/2 gets {@link ClientHttp2}'s
 * handlers instead. Thread-safe (Netty calls it on each new channel's loop).
 *
 * <pre>{@code
 * new ServerBootstrap().childHandler(new ClientInitializer(context, Optional.of(serverTls), clients));
 * }</pre>
 */
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext context;
    private final Optional<ServerTlsContext> tls;
    private final Optional<ClientTls> clientTls;
    private final ChannelGroup clients;

    /** Adds every accepted connection to {@code clients}, for draining on close. */
    public ClientInitializer(ProxyContext context, Optional<ServerTlsContext> tls, ChannelGroup clients) {
        this.context = context;
        this.tls = tls;
        this.clientTls = tls.map(ClientTls::new);
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
        Admission admission = context.limiter().admit(ch); // refused: closed, or answered 503/429 and closed
        if (admission == Admission.REFUSED_GATEWAY) {
            context.limiter().refuseAtAccept(ch, admission);
            return;
        }
        clients.add(ch);
        ListenerSettings settings = context.settings(); // one reload's values for the whole connection setup
        // first: before TLS and everything else, a refusal's answer too; on a shared https address the listener's
        // own reader already ran, before the SNI choice
        if (settings.acceptProxyProtocol() && !ClientAddress.isCarried(ch)) {
            ProxyHeaderReader.addFirst(ch, settings.proxies(), settings.timeouts().requestHead(),
                    context.limiter().proxyProtocol());
        }
        clientTls.ifPresent(t -> t.addTo(ch, settings.timeouts().clientIdle()));
        if (settings.offersHttp2()) { // HTTP/1.1 or HTTP/2: ALPN or the preface decides, once per connection
            ch.pipeline().addLast("protocol", new ProtocolChoice(context, tls.isPresent(), admission));
        } else if (!admission.accepted()) {
            RefusedConnection.addTo(ch, context, admission);
        } else {
            addHttp1(ch, context, settings);
        }
    }

    /** The HTTP/1.1 handlers, at the end of {@code ch}'s pipeline. */
    static void addHttp1(Channel ch, ProxyContext context, ListenerSettings settings) {
        ClientResponseEncoder encoder = new ClientResponseEncoder();
        OneMessagePerRead flow = new OneMessagePerRead(false);
        ClientRequestDecoder decoder = new ClientRequestDecoder(decoderConfig(settings.limits()),
                settings.timeouts().requestHead().toNanos());
        ch.pipeline()
                .addLast("idle", new IdleTimeout(settings.timeouts().clientIdle().toNanos()))
                .addLast("decoder", decoder)
                .addLast("encoder", encoder)
                .addLast("flow", flow)
                .addLast("proxy", new ClientConnection(context, new Http1Framing(decoder, encoder, flow)));
        ClientRequestLimit.addIfCounted(ch, context);
    }

    /** Strict parsing: header names and values validated, RFC 9112 framing, no duplicate Content-Length. */
    static HttpDecoderConfig decoderConfig(Limits limits) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(65536)
                .setHeadersFactory(LineHeaders.FACTORY)
                .setTrailersFactory(UpstreamCodec.SMALL_TRAILERS)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
    }

    /**
     * Lets the connection close once its current request is answered (at once when idle); a tunnel stays until it
     * closes or the grace ends.
     */
    public static void drain(Channel client) {
        ClientConnection c = client.pipeline().get(ClientConnection.class);
        if (c == null) {
            if (!Tunnel.isTunnel(client)) {
                client.close();
            }
        } else {
            client.eventLoop().execute(c::drain);
        }
    }
}
