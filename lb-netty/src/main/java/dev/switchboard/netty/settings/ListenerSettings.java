package dev.switchboard.netty.settings;

import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.TrustedProxies;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.UpstreamTlsConfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway needs to serve one virtual service besides the engine's model: where it listens, TLS on both
 * sides, the {@code Expect: 100-continue} policy, forwarded headers, timeouts and limits. Immutable; thread-safe.
 *
 * <pre>{@code
 * ListenerSettings mail = ListenerSettings.builder("mail", Address.parse("127.0.0.1:8443"), Protocol.HTTPS)
 *         .tls(serverTlsConfig)
 *         .upstreamTls(UpstreamTlsConfig.ofDefaults())
 *         .build();
 * }</pre>
 */
public final class ListenerSettings {

    private final String virtualService;
    private final Address listen;
    private final Protocol protocol;
    private final ServerTlsConfig tls;
    private final UpstreamTlsConfig upstreamTls;
    private final ExpectContinue expectContinue;
    private final boolean forwardedHeaders;
    private final List<Cidr> trustedProxies;
    private final TrustedProxies proxies;
    private final Timeouts timeouts;
    private final Limits limits;
    private final boolean accessLog;
    private final boolean acceptProxyProtocol;
    private final AccessLogFormat accessLogFormat;
    private final boolean http2Cleartext;
    private final Http2Limits http2Limits;

    private ListenerSettings(Builder b) {
        this.virtualService = b.virtualService;
        this.listen = b.listen;
        this.protocol = b.protocol;
        this.tls = b.tls;
        this.upstreamTls = b.upstreamTls;
        this.expectContinue = b.expectContinue;
        this.forwardedHeaders = b.forwardedHeaders;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.proxies = TrustedProxies.of(this.trustedProxies);
        this.timeouts = b.timeouts;
        this.limits = b.limits;
        this.accessLog = b.accessLog;
        this.acceptProxyProtocol = b.acceptProxyProtocol;
        this.accessLogFormat = b.accessLogFormat;
        this.http2Cleartext = b.http2Cleartext;
        this.http2Limits = b.http2Limits;
    }

    /** A builder for the virtual service {@code virtualService} listening on {@code listen}. */
    public static Builder builder(String virtualService, Address listen, Protocol protocol) {
        return new Builder(virtualService, listen, protocol);
    }

    public String virtualService() {
        return virtualService;
    }

    public Address listen() {
        return listen;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The server-side TLS configuration; present exactly when the protocol is {@code https}. */
    public Optional<ServerTlsConfig> findTls() {
        return Optional.ofNullable(tls);
    }

    /** TLS towards the real servers (re-encryption); empty means plain HTTP (or plain TCP) upstream. */
    public Optional<UpstreamTlsConfig> findUpstreamTls() {
        return Optional.ofNullable(upstreamTls);
    }

    public ExpectContinue expectContinue() {
        return expectContinue;
    }

    /** Whether {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} are added (default true). */
    public boolean forwardedHeaders() {
        return forwardedHeaders;
    }

    /** Peers whose incoming forwarded headers are kept and appended to; from anyone else they are replaced. */
    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    /** {@link #trustedProxies()} made once, to find the client address behind them per request. */
    public TrustedProxies proxies() {
        return proxies;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    public Limits limits() {
        return limits;
    }

    /** Whether one access-log line per request is written (logger {@code switchboard.access}). */
    public boolean accessLog() {
        return accessLog;
    }

    /**
     * Whether every connection must open with a PROXY protocol header (v1 or v2) from a peer in
     * {@link #trustedProxies()}; its address is then the client's (see {@code dev.switchboard.netty.ClientAddress}).
     */
    public boolean acceptProxyProtocol() {
        return acceptProxyProtocol;
    }

    /** How the access-log lines are written (default {@link AccessLogFormat#TEXT}). */
    public AccessLogFormat accessLogFormat() {
        return accessLogFormat;
    }

    /**
     * Whether an {@code http} listener also accepts HTTP/2 with prior knowledge (h2c: a connection that opens with the
     * HTTP/2 preface); HTTP/1.1 connections are served as before. An https listener speaks HTTP/2 when its TLS
     * configuration offers {@code h2} by ALPN ({@code ServerTlsConfig.applicationProtocols}).
     */
    public boolean http2Cleartext() {
        return http2Cleartext;
    }

    /** The defences of HTTP/2 connections (default {@link Http2Limits#DEFAULTS}). */
    public Http2Limits http2Limits() {
        return http2Limits;
    }

    /** Whether connections of this listener may speak HTTP/2 (h2c allowed, or {@code h2} offered by ALPN). */
    public boolean offersHttp2() {
        return http2Cleartext || tls != null && tls.applicationProtocols().contains("h2");
    }

    @Override
    public String toString() {
        return "ListenerSettings[" + virtualService + " " + protocol.configName() + "://" + listen + "]";
    }

    /** Builds {@link ListenerSettings}; not thread-safe. */
    public static final class Builder {
        private final String virtualService;
        private final Address listen;
        private final Protocol protocol;
        private ServerTlsConfig tls;
        private UpstreamTlsConfig upstreamTls;
        private ExpectContinue expectContinue = ExpectContinue.RFC7231;
        private boolean forwardedHeaders = true;
        private List<Cidr> trustedProxies = List.of();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private boolean accessLog = true;
        private boolean acceptProxyProtocol;
        private AccessLogFormat accessLogFormat = AccessLogFormat.TEXT;
        private boolean http2Cleartext;
        private Http2Limits http2Limits = Http2Limits.DEFAULTS;

        private Builder(String virtualService, Address listen, Protocol protocol) {
            this.virtualService = Objects.requireNonNull(virtualService, "virtualService");
            this.listen = Objects.requireNonNull(listen, "listen");
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        public Builder tls(ServerTlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder upstreamTls(UpstreamTlsConfig upstreamTls) {
            this.upstreamTls = Objects.requireNonNull(upstreamTls, "upstreamTls");
            return this;
        }

        public Builder expectContinue(ExpectContinue expectContinue) {
            this.expectContinue = Objects.requireNonNull(expectContinue, "expectContinue");
            return this;
        }

        public Builder forwardedHeaders(boolean forwardedHeaders) {
            this.forwardedHeaders = forwardedHeaders;
            return this;
        }

        public Builder trustedProxies(List<Cidr> trustedProxies) {
            this.trustedProxies = List.copyOf(trustedProxies);
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder accessLog(boolean accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        /** Reads a PROXY protocol header first; see {@link ListenerSettings#acceptProxyProtocol()}. */
        public Builder acceptProxyProtocol(boolean accept) {
            this.acceptProxyProtocol = accept;
            return this;
        }

        /** How the access-log lines are written; see {@link ListenerSettings#accessLogFormat()}. */
        public Builder accessLogFormat(AccessLogFormat accessLogFormat) {
            this.accessLogFormat = Objects.requireNonNull(accessLogFormat, "accessLogFormat");
            return this;
        }

        /** Accepts h2c with prior knowledge (http only); see {@link ListenerSettings#http2Cleartext()}. */
        public Builder http2Cleartext(boolean accept) {
            this.http2Cleartext = accept;
            return this;
        }

        /** The defences of HTTP/2 connections; see {@link Http2Limits}. */
        public Builder http2Limits(Http2Limits limits) {
            this.http2Limits = Objects.requireNonNull(limits, "http2Limits");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @throws IllegalStateException if {@code https} has no TLS configuration, or another protocol has one, or
         *         the PROXY protocol is accepted with no trusted proxies, or h2c is asked of a protocol other than http
         */
        public ListenerSettings build() {
            if (acceptProxyProtocol && trustedProxies.isEmpty()) {
                throw new IllegalStateException(virtualService + ".acceptProxyProtocol: true without trustedProxies"
                        + " (expected: the proxies allowed to send the header)");
            }
            if (protocol == Protocol.HTTPS && tls == null) {
                throw new IllegalStateException(virtualService + ".tls: missing (expected: required for https)");
            }
            if (protocol != Protocol.HTTPS && tls != null) {
                throw new IllegalStateException(virtualService + ".tls: set (expected: only for https, got "
                        + protocol.configName() + ")");
            }
            if (http2Cleartext && protocol != Protocol.HTTP) {
                throw new IllegalStateException(virtualService + ".http2.cleartext: true with "
                        + protocol.configName() + " (expected: only for http; https offers h2 by ALPN)");
            }
            return new ListenerSettings(this);
        }
    }
}
