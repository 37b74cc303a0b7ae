package dev.switchboard.examples.gateway;

import dev.switchboard.api.Protocol;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.TlsCertificate;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which changed settings of a listener kept across a reload (same virtual service, address and protocol) cannot be
 * applied in place, because something made once at bind holds them: an HTTP(S) listener's upstream pool
 * ({@code timeouts.connect}, {@code timeouts.serverIdle}, {@code limits.maxPooledPerServer}, {@code upstreamTls})
 * and its TLS context's parameters ({@code tls.protocols}, {@code cipherSuites}, {@code applicationProtocols},
 * {@code namedGroups}, {@code sessionTickets}, {@code sessionTimeout}; certificates and keys <em>are</em> reloaded
 * in place); and every timeout and limit, the trusted proxies and {@code acceptProxyProtocol} of a {@code tcp}
 * listener. For those {@link Gateway#reload(
 * dev.switchboard.config.GatewayConfig)} binds the listener again (its open connections finish on the old
 * one); everything else an HTTP(S) listener reads per connection or request and takes from the next one. Stateless;
 * thread-safe.
 */
final class ListenerChanges {

    private ListenerChanges() {
    }

    /**
     * The configuration keys (relative to the virtual service, e.g. {@code tls.protocols}) whose change between
     * {@code old} and {@code next} applies only once the listener is bound again; empty when everything applies in
     * place.
     */
    static List<String> fixedAtBind(ListenerSettings old, ListenerSettings next) {
        List<String> keys = new ArrayList<>();
        if (old.protocol() == Protocol.TCP) {
            compare(keys, "timeouts", old, next, ListenerSettings::timeouts);
            compare(keys, "limits", old, next, ListenerSettings::limits);
            compare(keys, "trustedProxies", old, next, ListenerSettings::trustedProxies);
            compare(keys, "acceptProxyProtocol", old, next, ListenerSettings::acceptProxyProtocol);
            return keys;
        }
        compare(keys, "timeouts.connect", old, next, s -> s.timeouts().connect());
        compare(keys, "timeouts.serverIdle", old, next, s -> s.timeouts().serverIdle());
        compare(keys, "limits.maxPooledPerServer", old, next, s -> s.limits().maxPooledPerServer());
        if (!sameUpstreamTls(old.findUpstreamTls(), next.findUpstreamTls())) {
            keys.add("upstreamTls");
        }
        if (old.findTls().isPresent() && next.findTls().isPresent()) {
            serverTls(keys, old.findTls().get(), next.findTls().get());
        }
        return keys;
    }

    private static void serverTls(List<String> keys, ServerTlsConfig old, ServerTlsConfig next) {
        compareTls(keys, "tls.protocols", old, next, ServerTlsConfig::protocols);
        compareTls(keys, "tls.cipherSuites", old, next, ServerTlsConfig::cipherSuites);
        compareTls(keys, "tls.applicationProtocols", old, next, ServerTlsConfig::applicationProtocols);
        compareTls(keys, "tls.namedGroups", old, next, ServerTlsConfig::namedGroups);
        compareTls(keys, "tls.sessionTickets", old, next, ServerTlsConfig::sessionTickets);
        compareTls(keys, "tls.sessionTimeout", old, next, ServerTlsConfig::sessionTimeout);
        compareTls(keys, "tls.sessionCacheSize", old, next, ServerTlsConfig::sessionCacheSize);
        compareTls(keys, "tls.provider", old, next, ServerTlsConfig::provider);
    }

    private static boolean sameUpstreamTls(Optional<UpstreamTlsConfig> a, Optional<UpstreamTlsConfig> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        UpstreamTlsConfig x = a.get();
        UpstreamTlsConfig y = b.get();
        return x.trust() == y.trust() && x.trustedCertificates().equals(y.trustedCertificates())
                && x.protocols().equals(y.protocols()) && x.cipherSuites().equals(y.cipherSuites())
                && x.applicationProtocols().equals(y.applicationProtocols())
                && x.namedGroups().equals(y.namedGroups()) && x.sessionCacheSize() == y.sessionCacheSize()
                && x.sessionTimeout().equals(y.sessionTimeout()) && x.provider() == y.provider()
                && x.findClientCertificate().map(TlsCertificate::chain)
                        .equals(y.findClientCertificate().map(TlsCertificate::chain));
    }

    private static <T> void compare(List<String> keys, String key, ListenerSettings old, ListenerSettings next,
            Function<ListenerSettings, T> value) {
        if (!Objects.equals(value.apply(old), value.apply(next))) {
            keys.add(key);
        }
    }

    private static <T> void compareTls(List<String> keys, String key, ServerTlsConfig old, ServerTlsConfig next,
            Function<ServerTlsConfig, T> value) {
        if (!Objects.equals(value.apply(old), value.apply(next))) {
            keys.add(key);
        }
    }
}
