package dev.switchboard.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether, and in which version, the gateway opens its connections to a real server with a PROXY protocol header
 * (HAProxy's PROXY protocol) that tells the server the client's address and port and the gateway's own. Set on a
 * {@link SubService} for its whole pool, or on one {@link RealServer} (which wins).
 *
 * <pre>{@code
 * SubService.builder("imap").asDefault().proxyProtocol(ProxyProtocol.V2)
 *         .realServer(RealServer.of("ex01", "10.0.0.11:993"))
 *         .realServer(RealServer.builder("legacy", "10.0.0.12:993").proxyProtocol(ProxyProtocol.NONE).build())
 *         .build();
 * }</pre>
 */
public enum ProxyProtocol {
    /** No header: the server sees the gateway's address (the default). */
    NONE,
    /** Version 1, the text form: {@code PROXY TCP4 192.0.2.7 10.0.0.1 51234 443\r\n}. */
    V1,
    /** Version 2, the binary form with the {@code PROXY} command. */
    V2;

    /** The configuration name: {@code none}, {@code v1} or {@code v2}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The version named {@code configName} ({@code v1}, {@code v2}, {@code none}; case-insensitive), if any. */
    public static Optional<ProxyProtocol> find(String configName) {
        for (ProxyProtocol p : values()) {
            if (p.configName().equalsIgnoreCase(configName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
