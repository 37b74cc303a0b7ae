package dev.switchboard.api;

import java.util.List;
import java.util.Optional;

/**
 * How the gateway speaks HTTP to the real servers of a {@link SubService}: HTTP/1.1 on a pool of keep-alive
 * connections (the default), or HTTP/2, each request a stream multiplexed over few connections per server (h2c with
 * prior knowledge on plain connections, {@code h2} by ALPN where the gateway re-encrypts). gRPC needs {@link #H2}.
 * The sorry server is always spoken to in HTTP/1.1; health checks stay HTTP/1.1.
 *
 * <pre>{@code
 * SubService.builder("grpc").matchAny(ContentRule.header("content-type").prefix("application/grpc"))
 *         .upstreamProtocol(UpstreamProtocol.H2)
 *         .realServer(RealServer.of("g1", "10.0.0.21:50051"))
 *         .build();
 * }</pre>
 */
public enum UpstreamProtocol {
    /** HTTP/1.1 on keep-alive connections, one request at a time per connection. */
    HTTP_1_1("http/1.1"),
    /** HTTP/2: streams multiplexed over few connections per real server. */
    H2("h2");

    private final String configName;

    UpstreamProtocol(String configName) {
        this.configName = configName;
    }

    /** The configuration name, which is also the ALPN protocol id: {@code http/1.1} or {@code h2}. */
    public String configName() {
        return configName;
    }

    /** The protocol named {@code configName} ({@code http/1.1} or {@code h2}, exact), if any. */
    public static Optional<UpstreamProtocol> find(String configName) {
        for (UpstreamProtocol p : values()) {
            if (p.configName.equals(configName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The checks of a sub-service at {@code path} spoken to in this protocol: h2 is HTTP (not on a tcp virtual
     * service), and an h2 connection carries many clients' streams, so no PROXY protocol header (which names one
     * client) on the sub-service or any of its real servers.
     */
    void validate(String path, Protocol protocol, ProxyProtocol proxyProtocol, List<RealServer> servers,
            Problems problems) {
        if (this != H2) {
            return;
        }
        if (protocol == Protocol.TCP) {
            problems.add(path + ".upstreamProtocol", "h2 on a tcp virtual service (expected: http/1.1; L4 relays "
                    + "bytes)");
        }
        String why = " with upstreamProtocol h2 (expected: none; an h2 connection carries many clients' streams)";
        if (proxyProtocol != ProxyProtocol.NONE) {
            problems.add(path + ".proxyProtocol", proxyProtocol.configName() + why);
        }
        for (int i = 0; i < servers.size(); i++) {
            ProxyProtocol own = servers.get(i).findProxyProtocol().orElse(ProxyProtocol.NONE);
            if (own != ProxyProtocol.NONE) {
                problems.add(path + ".realServers[" + i + "].proxyProtocol", own.configName() + why);
            }
        }
    }
}
