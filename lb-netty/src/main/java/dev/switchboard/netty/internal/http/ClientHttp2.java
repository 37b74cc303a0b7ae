package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.internal.upstream.IdleTimeout;
import dev.switchboard.netty.settings.Http2Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.tls.TlsSessions;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * The handlers of a client connection that speaks HTTP/2: the idle timer and {@link ClientStreams}, Netty's
 * connection handler with the listener's {@link Http2Limits} (concurrent streams, header list size, frame size,
 * stream window, the rapid-reset limit, the queue of control answers) whose every request stream becomes a
 * {@link ClientStream} with a {@link ClientConnection} of its own (a stream idle for {@code timeouts.clientIdle} is
 * told so by {@link StreamIdle}; PING/SETTINGS floods are watched by {@link Http2Guard}). The connection reads on
 * its own from then on: HTTP/2 flow control bounds what each stream holds (a stream's window is given back only as
 * its request body is taken by the real server). Also the frame codec of a refused HTTP/2 connection
 * ({@link RefusedHttp2}). Stateless.
 */
final class ClientHttp2 {

    private ClientHttp2() {
    }

    /**
     * Adds the HTTP/2 handlers at the end of {@code ch}'s pipeline and turns auto-read on.
     *
     * @param handshake the TLS handshake's completion (its session gives the server name and session ID); null in
     *                  cleartext
     */
    static void addTo(Channel ch, ProxyContext context, SslHandshakeCompletionEvent handshake) {
        ListenerSettings settings = context.settings();
        InetAddress peer = ClientAddress.findRemote(ch).map(InetSocketAddress::getAddress)
                .orElse(InetAddress.getLoopbackAddress());
        String serverName = "";
        String sessionId = "";
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (handshake != null && ssl != null) {
            SSLSession session = ssl.engine().getSession();
            sessionId = TlsSessions.sessionId(session);
            serverName = serverName(session);
        }
        ch.pipeline()
                .addLast("idle", new IdleTimeout(settings.timeouts().clientIdle().toNanos()))
                .addLast("h2", ClientStreams.of(ch, context, peer, serverName, sessionId));
        ch.config().setAutoRead(true);
    }

    /** Netty's frame codec with the listener's limits, for a refused connection's one answer. */
    static Http2FrameCodec codec(ListenerSettings settings, Http2Limits limits) {
        Http2Settings initial = new Http2Settings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderListSize())
                .maxFrameSize(limits.maxFrameSize())
                .initialWindowSize(limits.initialWindowSize());
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(initial)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResets(), (int) limits.resetWindow().getSeconds())
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .gracefulShutdownTimeoutMillis(settings.timeouts().shutdown().toMillis())
                .build();
    }

    /** The host name the client asked for by SNI, or {@code ""}. */
    static String serverName(SSLSession session) {
        String name = "";
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName n : extended.getRequestedServerNames()) {
                if (n instanceof SNIHostName host) {
                    name = host.getAsciiName();
                }
            }
        }
        return name;
    }
}
