package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    private static final TrustedProxies PROXIES = TrustedProxies.of(List.of(Cidr.parse("10.1.0.0/16"),
            Cidr.parse("2001:db8:ff::/48")));

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError("not a literal: " + literal, e);
        }
    }

    /** A request as a host keeps it: every header line apart, joined only by {@code combinedHeader}. */
    private static final class Lines implements RequestView {
        private final InetAddress peer;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        Lines(String peer) {
            this.peer = ip(peer);
        }

        Lines line(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public String authority() {
            return "app.example.test";
        }

        @Override
        public String rawPath() {
            return "/";
        }

        @Override
        public String query() {
            return "";
        }

        @Override
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        @Override
        public String combinedHeader(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(", ", values);
        }

        @Override
        public InetAddress sourceAddress() {
            return peer;
        }

        @Override
        public String tlsServerName() {
            return "";
        }

        @Override
        public String tlsSessionId() {
            return "";
        }
    }

    @Test
    void clientAddress_noTrustedProxies_isThePeerItself_whateverTheHeadersSay() {
        Lines request = new Lines("192.0.2.7").line("X-Forwarded-For", "203.0.113.50");
        assertThat(TrustedProxies.NONE.clientAddress(request)).isSameAs(request.sourceAddress());
        assertThat(TrustedProxies.of(List.of())).isSameAs(TrustedProxies.NONE);
    }

    @Test
    void clientAddress_untrustedPeer_isThePeer_itsForwardedHeadersIgnored() {
        Lines request = new Lines("192.0.2.7").line("X-Forwarded-For", "203.0.113.50");
        assertThat(PROXIES.clientAddress(request)).isSameAs(request.sourceAddress());
    }

    @Test
    void clientAddress_trustedPeerWithoutForwardedHeaders_isThePeer() {
        Lines request = new Lines("10.1.0.5");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("10.1.0.5"));
    }

    @Test
    void clientAddress_clientForgedTheFirstLine_theLineATrustedProxyAppendedWins() {
        Lines request = new Lines("10.1.0.5").line("X-Forwarded-For", "198.51.100.66")
                .line("X-Forwarded-For", "203.0.113.50");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("203.0.113.50"));
        Lines forgedList = new Lines("10.1.0.5").line("X-Forwarded-For", "198.51.100.66, 10.1.0.9")
                .line("X-Forwarded-For", "203.0.113.50, 10.1.0.7");
        assertThat(PROXIES.clientAddress(forgedList)).as("trusted hops on the right are skipped")
                .isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void clientAddress_elementsOfOneLine_walkedFromTheRight() {
        Lines request = new Lines("10.1.0.5").line("X-Forwarded-For", " 198.51.100.1 ,203.0.113.50,, 10.1.0.9 ");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void clientAddress_everyHopTrusted_isTheLeftMostHop() {
        Lines request = new Lines("10.1.0.5").line("X-Forwarded-For", "10.1.3.3, 10.1.2.2");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("10.1.3.3"));
    }

    @Test
    void clientAddress_forwardedHeader_quotedIpv6WithPort_andIpv4WithPort() {
        Lines v6 = new Lines("10.1.0.5").line("Forwarded", "for=198.51.100.1;proto=http")
                .line("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=\"[2001:db8:ff::1]\"");
        assertThat(PROXIES.clientAddress(v6)).isEqualTo(ip("2001:db8:cafe::17"));
        Lines v4 = new Lines("2001:db8:ff::2").line("Forwarded", "For=\"203.0.113.50:8080\";by=10.1.0.1");
        assertThat(PROXIES.clientAddress(v4)).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void clientAddress_xForwardedForTakesPrecedenceOverForwarded() {
        Lines request = new Lines("10.1.0.5").line("Forwarded", "for=198.51.100.1")
                .line("X-Forwarded-For", "203.0.113.50");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("203.0.113.50"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",,,", "not-an-ip", "999.1.1.1", "1.2.3.4.5", "[::1", "unknown", "_hidden",
            "203.0.113.1, _hidden", "1.2.3.4, garbage", "1.2.3.4:port", "[::1]x", "[::1]:", "::g", "example.com"})
    void clientAddress_garbageRightOfTheTrustedHops_isUnknown(String xff) {
        assertThat(PROXIES.clientAddress(new Lines("10.1.0.5").line("X-Forwarded-For", xff))).isNull();
    }

    @Test
    void clientAddress_garbageForwardedElement_isUnknown() {
        assertThat(PROXIES.clientAddress(new Lines("10.1.0.5").line("Forwarded", "proto=https"))).isNull();
        assertThat(PROXIES.clientAddress(new Lines("10.1.0.5").line("Forwarded", "for=unknown"))).isNull();
        assertThat(PROXIES.clientAddress(new Lines("10.1.0.5").line("Forwarded", "for=\"_gazonk\""))).isNull();
    }

    @Test
    void clientAddress_garbageLeftOfTheClient_doesNotMatter() {
        Lines request = new Lines("10.1.0.5").line("X-Forwarded-For", "garbage, unknown")
                .line("X-Forwarded-For", "203.0.113.50");
        assertThat(PROXIES.clientAddress(request)).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void clientAddress_oversizedHeader_isUnknown_evenWhenSplitOverLines() {
        String half = "198.51.100.1, ".repeat(TrustedProxies.MAX_HEADER / 28 + 1);
        Lines request = new Lines("10.1.0.5").line("X-Forwarded-For", half).line("X-Forwarded-For", half
                + "203.0.113.50");
        assertThat(PROXIES.clientAddress(request)).isNull();
        assertThat(PROXIES.clientAddress(new Lines("10.1.0.5").line("X-Forwarded-For", "1".repeat(100_000))))
                .isNull();
    }

    @Test
    void literal_neverLooksANameUp_andAcceptsPorts() {
        assertThat(TrustedProxies.literal("localhost")).isNull();
        assertThat(TrustedProxies.literal("203.0.113.50:443")).isEqualTo(ip("203.0.113.50"));
        assertThat(TrustedProxies.literal("[::1]:443")).isEqualTo(ip("::1"));
        assertThat(TrustedProxies.literal("2001:db8::1")).isEqualTo(ip("2001:db8::1"));
        assertThat(TrustedProxies.literal("256.0.0.1")).isNull();
    }

    @Test
    void contains_andEquality_followTheRanges() {
        assertThat(PROXIES.contains(ip("10.1.200.3"))).isTrue();
        assertThat(PROXIES.contains(ip("10.2.0.1"))).isFalse();
        assertThat(PROXIES.contains(ip("2001:db8:ff:1::1"))).isTrue();
        assertThat(PROXIES).isEqualTo(TrustedProxies.of(List.of(Cidr.parse("10.1.0.0/16"),
                Cidr.parse("2001:db8:ff::/48"))));
        assertThat(PROXIES.isEmpty()).isFalse();
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
    }
}
