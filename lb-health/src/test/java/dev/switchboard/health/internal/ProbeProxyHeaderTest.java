package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ProxyProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The probe's PROXY headers, byte for byte, against the examples and limits of HAProxy's proxy-protocol.txt. */
class ProbeProxyHeaderTest {

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static String v1(InetSocketAddress from, InetSocketAddress to) {
        return new String(ProbeProxyHeader.of(ProxyProtocol.V1, from, to), StandardCharsets.US_ASCII);
    }

    @Test
    void v1_theSpecsTcp4Example() throws Exception {
        assertThat(v1(at("192.168.0.1", 56324), at("192.168.0.11", 443)))
                .isEqualTo("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
    }

    @Test
    void v1_longestTcp4Line_is56Bytes() throws Exception {
        byte[] line = ProbeProxyHeader.of(ProxyProtocol.V1, at("255.255.255.255", 65535),
                at("255.255.255.255", 65535));
        assertThat(new String(line, StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n");
        assertThat(line).hasSize(56);
    }

    @Test
    void v1_longestTcp6Line_is104Bytes() throws Exception {
        String ffff = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] line = ProbeProxyHeader.of(ProxyProtocol.V1, at(ffff, 65535), at(ffff, 65535));
        assertThat(new String(line, StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP6 " + ffff + " " + ffff + " 65535 65535\r\n");
        assertThat(line).hasSize(104);
    }

    @Test
    void v1_ipv6Loopback_andAnIpv4EndMappedWhenTheOtherIsIpv6() throws Exception {
        assertThat(v1(at("::1", 40000), at("::1", 8443))).isEqualTo("PROXY TCP6 0:0:0:0:0:0:0:1 0:0:0:0:0:0:0:1 "
                + "40000 8443\r\n");
        assertThat(v1(at("10.0.0.1", 40000), at("2001:db8::11", 443)))
                .isEqualTo("PROXY TCP6 ::ffff:10.0.0.1 2001:db8:0:0:0:0:0:11 40000 443\r\n");
    }

    @Test
    void v2_isTheLocalCommand_sixteenBytes_noAddresses() throws Exception {
        byte[] header = ProbeProxyHeader.of(ProxyProtocol.V2, at("10.0.0.1", 40000), at("10.0.0.11", 443));
        // signature \r\n\r\n\0\r\nQUIT\n, version 2 + LOCAL (0x20), AF_UNSPEC + UNSPEC (0x00), length 0
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("0d0a0d0a000d0a515549540a20000000");
        assertThat(new String(header, 6, 6, StandardCharsets.US_ASCII)).isEqualTo("\nQUIT\n");
    }

    @Test
    void v2_eachCallGetsItsOwnBytes() throws Exception {
        byte[] first = ProbeProxyHeader.of(ProxyProtocol.V2, at("10.0.0.1", 1), at("10.0.0.2", 2));
        first[12] = 0x21;
        assertThat(ProbeProxyHeader.of(ProxyProtocol.V2, at("10.0.0.1", 1), at("10.0.0.2", 2))[12])
                .isEqualTo((byte) 0x20);
    }

    @Test
    void none_orAnUnresolvedAddress_isRefused() throws Exception {
        assertThatThrownBy(() -> ProbeProxyHeader.of(ProxyProtocol.NONE, at("10.0.0.1", 1), at("10.0.0.2", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("proxyProtocol: none (expected: v1 or v2)");
        assertThatThrownBy(() -> ProbeProxyHeader.of(ProxyProtocol.V1,
                InetSocketAddress.createUnresolved("ex01.test", 1), at("10.0.0.2", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("source: ex01.test")
                .hasMessageEndingWith("(expected: a resolved IP address)");
    }
}
