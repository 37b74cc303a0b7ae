package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.11:443, 10.0.0.11, 443",
        "mail.example.com:8443, mail.example.com, 8443",
        "localhost:1, localhost, 1",
        "a:65535, a, 65535",
        "backend-01.internal:080, backend-01.internal, 80",
    })
    void parse_hostColonPort_splitsHostAndPort(String value, String host, int port) {
        Address address = Address.parse(value);

        assertThat(address.host()).isEqualTo(host);
        assertThat(address.port()).isEqualTo(port);
        assertThat(address).isEqualTo(Address.of(host, port));
    }

    @ParameterizedTest
    @CsvSource({
        "'[2001:db8::1]:443', 2001:db8::1, 443",
        "'[::1]:8080', ::1, 8080",
        "'[::ffff:192.0.2.1]:80', ::ffff:192.0.2.1, 80",
    })
    void parse_bracketedIpv6_keepsHostWithoutBrackets(String value, String host, int port) {
        Address address = Address.parse(value);

        assertThat(address.host()).isEqualTo(host);
        assertThat(address.port()).isEqualTo(port);
    }

    @Test
    void toString_ipv6Host_isBracketedAndParsesBack() {
        Address address = Address.of("2001:db8::1", 443);

        assertThat(address).hasToString("[2001:db8::1]:443");
        assertThat(Address.parse(address.toString())).isEqualTo(address);
        assertThat(Address.of("10.0.0.1", 80)).hasToString("10.0.0.1:80");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:65536", "host:99999", "[::1]:65536"})
    void parse_portOutOfRange_throwsNamingPortAndRange(String value) {
        String port = value.substring(value.lastIndexOf(':') + 1);

        assertThatIllegalArgumentException().isThrownBy(() -> Address.parse(value))
                .withMessageContaining(port)
                .withMessageContaining("1..65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "host:-1", "host:+80", "host:abc", "host:8o", "host:123456", "host:80 ", "host: 80", "[::1]:x",
        "[::1]:-1",
    })
    void parse_portNotDigits_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.parse(value))
                .withMessageContaining("address: " + value)
                .withMessageContaining("host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "host:", "10.0.0.1", "[::1]", "[::1]:", "[2001:db8::1]", ""})
    void parse_missingPort_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.parse(value))
                .withMessageContaining("address: " + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1:443", "::1:80", "fe80::1", "::1"})
    void parse_unbracketedIpv6_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.parse(value))
                .withMessageContaining("address: " + value)
                .withMessageContaining("[ipv6]:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {":443", "[]:443", "[::1]443", "[::1]x:443", "[::1:443", "host:80:90"})
    void parse_malformedHostPart_throwsNamingValue(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.parse(value))
                .withMessageContaining("address: " + value);
    }

    @Test
    void of_emptyHost_throws() {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.of("", 80))
                .withMessageContaining("host: empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MAX_VALUE})
    void of_portOutOfRange_throwsNamingPort(int port) {
        assertThatIllegalArgumentException().isThrownBy(() -> Address.of("host", port))
                .withMessage("port: " + port + " (expected: 1..65535, or 0 for any free port)");
    }

    @Test
    void portZero_meansAnyFreePort_forListeners_butNotForDestinations() {
        assertThat(Address.parse("127.0.0.1:0").port()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> RealServer.of("ex01", "10.0.0.1:0"))
                .withMessage("address: 10.0.0.1:0 (expected: a port 1..65535)");
        assertThatIllegalArgumentException().isThrownBy(() -> SubService.builder("owa")
                .sorryServer(Address.parse("10.0.0.9:0"))).withMessageStartingWith("sorryServer: 10.0.0.9:0");
    }
}
