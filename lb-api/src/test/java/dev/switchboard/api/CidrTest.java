package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    /** An IP literal; {@code getByName} does no lookup for literals. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError("not a literal: " + literal, e);
        }
    }

    private static boolean contains(String cidr, String address) {
        return Cidr.parse(cidr).contains(ip(address));
    }

    // --- IPv4 ---

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.1.2.3", "127.0.0.1", "128.0.0.0", "255.255.255.255"})
    void contains_ipv4SlashZero_containsEveryIpv4Address(String address) {
        assertThat(contains("0.0.0.0/0", address)).isTrue();
        assertThat(contains("203.0.113.9/0", address)).isTrue();
    }

    @Test
    void parse_ipv4SlashZeroWithHostBits_equalsTheZeroBlock() {
        Cidr parsed = Cidr.parse("203.0.113.9/0");

        assertThat(parsed).isEqualTo(Cidr.parse("0.0.0.0/0")).hasSameHashCodeAs(Cidr.parse("0.0.0.0/0"));
        assertThat(parsed.prefixLength()).isZero();
        assertThat(parsed.isIpv6()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0, true",
        "10.0.0.1, true",
        "10.127.255.255, true",
        "10.255.255.255, true",
        "9.255.255.255, false",
        "11.0.0.0, false",
        "138.0.0.1, false",
    })
    void contains_ipv4Slash8_matchesOnlyTheFirstOctet(String address, boolean expected) {
        assertThat(contains("10.0.0.0/8", address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, true",
        "192.0.2.0, false",
        "192.0.2.2, false",
        "193.0.2.1, false",
    })
    void contains_ipv4Slash32_matchesOnlyThatAddress(String address, boolean expected) {
        assertThat(contains("192.0.2.1/32", address)).isEqualTo(expected);
        assertThat(contains("192.0.2.1", address)).isEqualTo(expected);
    }

    @Test
    void parse_bareIpv4Address_isASlash32() {
        assertThat(Cidr.parse("192.0.2.1").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("192.0.2.1")).isEqualTo(Cidr.parse("192.0.2.1/32"));
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.4, true",
        "192.0.2.5, true",
        "192.0.2.3, false",
        "192.0.2.6, false",
        "192.0.3.4, false",
    })
    void contains_ipv4Slash31LowLastOctet_matchesExactlyThePair(String address, boolean expected) {
        assertThat(contains("192.0.2.4/31", address)).isEqualTo(expected);
        assertThat(contains("192.0.2.5/31", address)).isEqualTo(expected); // the host bit is masked off
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.254, true",
        "192.0.2.255, true",
        "192.0.2.253, false",
        "192.0.3.254, false",
    })
    void contains_ipv4Slash31HighLastOctet_matchesExactlyThePair(String address, boolean expected) {
        assertThat(contains("192.0.2.254/31", address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.128.0.0/9, 10.200.0.1",
        "10.0.0.128/25, 10.0.0.200",
        "192.168.128.0/17, 192.168.200.1",
        "fe80::/10, fe80::1",
        "2001:db8:8000::/33, 2001:db8:8000::1",
    })
    void contains_nonAlignedPrefixWithHighBitSet_matchesAddressInsideBlock(String cidr, String address) {
        assertThat(contains(cidr, address)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "172.16.0.0/12, 172.16.0.0, true",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.15.255.255, false",
        "172.16.0.0/12, 172.32.0.0, false",
        "10.0.0.0/9, 10.127.255.255, true",
        "10.0.0.0/9, 10.128.0.0, false",
        "10.0.0.0/25, 10.0.0.127, true",
        "10.0.0.0/25, 10.0.0.128, false",
    })
    void contains_nonAlignedPrefixWithLowPartialByte_respectsTheBoundary(String cidr, String address,
            boolean expected) {
        assertThat(contains(cidr, address)).isEqualTo(expected);
    }

    // --- IPv6 ---

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "fe80::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void contains_ipv6SlashZero_containsEveryIpv6Address(String address) {
        assertThat(contains("::/0", address)).isTrue();
        assertThat(contains("2001:db8::1/0", address)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8:1:2::, true",
        "2001:db8:1:2::1, true",
        "2001:db8:1:2:ffff:ffff:ffff:ffff, true",
        "2001:db8:1:3::, false",
        "2001:db8:1:1:ffff:ffff:ffff:ffff, false",
        "2001:db9:1:2::, false",
    })
    void contains_ipv6Slash64_matchesTheFirstFourGroupsOnly(String address, boolean expected) {
        assertThat(contains("2001:db8:1:2::/64", address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8::1, true",
        "2001:DB8:0:0:0:0:0:1, true",
        "2001:db8::, false",
        "2001:db8::2, false",
        "::1, false",
    })
    void contains_ipv6Slash128_matchesOnlyThatAddress(String address, boolean expected) {
        assertThat(contains("2001:db8::1/128", address)).isEqualTo(expected);
        assertThat(contains("2001:db8::1", address)).isEqualTo(expected);
    }

    @Test
    void parse_ipv6Block_reportsFamilyAndPrefixLength() {
        assertThat(Cidr.parse("2001:db8::/32").isIpv6()).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("2001:DB8::/32")).isEqualTo(Cidr.parse("2001:db8:0::/32"));
    }

    // --- family mismatch ---

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0/0, ::",
        "0.0.0.0/0, ::1",
        "0.0.0.0/0, 2001:db8::1",
        "::/0, 0.0.0.0",
        "::/0, 127.0.0.1",
        "::/0, 255.255.255.255",
        "10.0.0.0/8, 2001:db8::1",
    })
    void contains_addressOfOtherFamily_neverMatches(String cidr, String address) {
        assertThat(contains(cidr, address)).isFalse();
    }

    @Test
    void contains_rawBytesOfWrongLength_neverMatches() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[0])).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[5])).isFalse();
        assertThat(Cidr.parse("::/0").contains(new byte[4])).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[4])).isTrue();
    }

    // --- value semantics ---

    @Test
    void parse_hostBitsSet_masksThemButKeepsTheTextAsWritten() {
        Cidr withHostBits = Cidr.parse("10.1.2.3/8");

        assertThat(withHostBits).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(withHostBits.hashCode()).isEqualTo(Cidr.parse("10.0.0.0/8").hashCode());
        assertThat(withHostBits).hasToString("10.1.2.3/8");
        assertThat(withHostBits).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
    }

    // --- rejected ---

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/33, 0..32",
        "10.0.0.0/100, 0..32",
        "::/129, 0..128",
        "2001:db8::/999, 0..128",
    })
    void parse_prefixLongerThanAddress_throwsNamingValueAndRange(String value, String range) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(value))
                .withMessageContaining(value)
                .withMessageContaining(range);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/x", "10.0.0.0/ 8", "10.0.0.0/8 ",
        "10.0.0.0/0008", "10.0.0.0/8/8", "10.0.0.0/8.0", "::/", "::/-0",
    })
    void parse_malformedPrefixLength_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(value))
                .withMessageContaining("cidr: " + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.com/8", "example.com", "localhost", "localhost/8", "mail.example.com/32", "", "/8",
        "10.0.0/8", "10.0.0.0.0/8", "10.0.0.0.", " 10.0.0.0/8", "10.0.0.0 /8", "0x0a.0.0.0/8", "1::2::3/64",
        "fe80::1%eth0/64", "[::1]/128", "gggg::/16", "999.0.0.0/8", "256.1.1.1",
    })
    void parse_notAnIpLiteral_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(value))
                .withMessageContaining("cidr: " + value);
    }

    @Test
    void parse_nameThatResolvesLocally_isStillRejected() {
        // "localhost" resolves without DNS; a parser that looked names up would accept it.
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("localhost/8"))
                .withMessageContaining("expected: an IPv4 or IPv6 literal");
    }
}
