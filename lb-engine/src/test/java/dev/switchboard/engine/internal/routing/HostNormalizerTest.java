package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNormalizerTest {

    private static void assertRejected(String authority, String reason) {
        assertThatThrownBy(() -> HostNormalizer.normalize(authority))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("host");
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.value()).isSameAs(authority);
                });
    }

    // --- accepted ---

    @ParameterizedTest
    @CsvSource({
        "Mail.Example.COM:443, mail.example.com",
        "MAIL.EXAMPLE.COM, mail.example.com",
        "mail.example.com:8080, mail.example.com",
        "localhost:0, localhost",
        "a:65535, a",
        "a:00080, a",
    })
    void normalize_mixedCaseOrPort_returnsLowerCaseHostWithoutPort(String authority, String expected) {
        assertThat(HostNormalizer.normalize(authority)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "mail.example.com., mail.example.com",
        "Mail.Example.Com., mail.example.com",
        "mail.example.com.:443, mail.example.com",
        "localhost., localhost",
    })
    void normalize_trailingDot_isRemoved(String authority, String expected) {
        assertThat(HostNormalizer.normalize(authority)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'[::1]:8443', '[::1]'",
        "'[2001:DB8::1]', '[2001:db8::1]'",
        "'[2001:DB8::1]:443', '[2001:db8::1]'",
        "'[::FFFF:192.0.2.1]', '[::ffff:192.0.2.1]'",
    })
    void normalize_ipv6Literal_keepsBracketsLowerCasesAndDropsPort(String authority, String expected) {
        assertThat(HostNormalizer.normalize(authority)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:80, 127.0.0.1",
        "10.0.0.1, 10.0.0.1",
    })
    void normalize_ipv4Address_returnsAddressWithoutPort(String authority, String expected) {
        assertThat(HostNormalizer.normalize(authority)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "localhost", "127.0.0.1", "xn--bcher-kva.example", "a", "_srv.a-b.c",
        "[::1]", "[::]", "[2001:db8::1]", "[1:2:3:4:5:6:7:8]", "[::ffff:192.0.2.1]", "[1::]", "[1:2:3:4:5:6:7::]",
        "[::2:3:4:5:6:7:8]", "[1:2:3:4:5:6:1.2.3.4]", "[::1.2.3.4]", "[fe80::1:0:0:1]"})
    void normalize_normalizedHost_returnsSameInstance(String authority) {
        assertThat(HostNormalizer.normalize(authority)).isSameAs(authority);
    }

    @Test
    void normalize_lowerCaseHostWithPort_returnsHostOnly() {
        assertThat(HostNormalizer.normalize("[::1]:80")).isEqualTo("[::1]");
        assertThat(HostNormalizer.normalize("a.b:1")).isEqualTo("a.b");
    }

    @Test
    void normalize_hostOfMaxLength_isAccepted() {
        String host = longHost(HostNormalizer.MAX_HOST_LENGTH);

        assertThat(HostNormalizer.normalize(host)).isSameAs(host);
        assertThat(HostNormalizer.normalize(host + ".:65535")).isEqualTo(host);
    }

    // --- rejected ---

    @ParameterizedTest
    @ValueSource(strings = {"", ":80", ":", "[]", "[]:80"})
    void normalize_emptyHost_isRejected(String authority) {
        assertRejected(authority, "host is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".a", "a..", "..", ".", "a..:80", "a.b..c.d"})
    void normalize_emptyLabel_isRejected(String authority) {
        assertRejected(authority, "empty label");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bücher.example", "b\u00fccher.example", "\u0430pple.com", "a\u00a0b", "[::1\u00e9]"})
    void normalize_nonAscii_isRejected(String authority) {
        assertRejected(authority, "non-ASCII character is not allowed (use punycode)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\tb", "a\r\nb", "a\u007f", "[::1\n]"})
    void normalize_controlCharacter_isRejected(String authority) {
        assertRejected(authority, "control character is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", " a", "a ", "[::1 ]"})
    void normalize_space_isRejected(String authority) {
        assertRejected(authority, "space is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "user@host", "a*b", "a%41b", "a]b", "a[b", "a,b", "a\\b", "a+b", "a;b", "*"})
    void normalize_invalidCharacter_isRejected(String authority) {
        assertRejected(authority, "invalid character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:", "[::1]:", "a.b.:"})
    void normalize_emptyPort_isRejected(String authority) {
        assertRejected(authority, "port is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:x", "a:-1", "a:+1", "a:8o", "a:80:80", "a:123456", "a:0000080", "[::1]:x", "a:80 "})
    void normalize_nonNumericPort_isRejected(String authority) {
        assertRejected(authority, "invalid port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:65536", "a:99999", "[::1]:70000"})
    void normalize_portAbove65535_isRejected(String authority) {
        assertRejected(authority, "port out of range (expected: 0..65535)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "[::1:80", "[", "[2001:db8::1"})
    void normalize_unclosedBracket_isRejected(String authority) {
        assertRejected(authority, "unclosed '['");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]x", "[::1]]", "[::1].", "[::1][::2]"})
    void normalize_characterAfterClosingBracket_isRejected(String authority) {
        assertRejected(authority, "unexpected character after ']'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[fe80::1%25eth0]", "[v1.abc]", "[::g]", "[a-b]", "[localhost]"})
    void normalize_invalidCharacterInIpLiteral_isRejected(String authority) {
        assertRejected(authority, "invalid character in IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "[1:2]", "[:::]", "[1::2::3]", "[12345::]", "[:1::]", "[1:]", "[::1:]",
        "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7:8::]", "[1:2:3:4:5:6:7]", "[1.2.3.4]", "[::1.2.3]",
        "[::256.1.1.1]", "[::1.2.3.4.5]", "[::1.2.3.4:5]", "[::a.1.1.1]", "[::1234.1.1.1]", "[::1..2.3]",
        "[1:2:3:4:5:6:7:1.2.3.4]", "[:]", "[.]"})
    void normalize_malformedIpv6_isRejected(String authority) {
        assertRejected(authority, "invalid IPv6 address");
    }

    @Test
    void normalize_hostOverMaxLength_isRejected() {
        String host = longHost(HostNormalizer.MAX_HOST_LENGTH + 1);

        assertRejected(host, "host too long");
        assertRejected(host + ":443", "host too long");
        assertRejected(host + "." + ":443", "host too long");
        assertRejected("a".repeat(100_000), "host too long");
    }

    @Test
    void normalize_nullAuthority_throwsNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> HostNormalizer.normalize(null)).withMessage("authority");
    }

    @Test
    void normalize_rejectedHost_messageNamesFieldReasonAndValue() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> HostNormalizer.normalize("a:99999"));

        assertThat(e.getMessage()).isEqualTo("host: port out of range (expected: 0..65535) (got \"a:99999\")");
    }

    @Test
    void normalize_rejectedNonAsciiHost_messageIsSafeToLog() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> HostNormalizer.normalize("b\u00fccher\r\n.example"));

        assertThat(e.getMessage())
                .isEqualTo("host: non-ASCII character is not allowed (use punycode)"
                        + " (got \"b\\u00FCcher\\x0D\\x0A.example\")");
    }

    // --- randomized ---

    @Test
    void normalize_randomInput_isNormalizedAndIdempotentOrRejected() {
        String alphabet = "aAzZ09.-_:[]fF ";
        SplittableRandom random = new SplittableRandom(42L);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            int length = random.nextInt(12);
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String authority = sb.toString();
            String host;
            try {
                host = HostNormalizer.normalize(authority);
            } catch (BadRequestException e) {
                assertThat(e.field()).isEqualTo("host");
                continue;
            }
            accepted++;
            assertThat(host).as("normalize(\"%s\")", authority)
                    .isNotEmpty()
                    .isEqualTo(host.toLowerCase(Locale.ROOT))
                    .doesNotEndWith(".")
                    .doesNotContain("..");
            if (!host.startsWith("[")) {
                assertThat(host).doesNotContain(":");
            }
            assertThat(HostNormalizer.normalize(host)).as("normalize(normalize(\"%s\"))", authority).isSameAs(host);
        }
        assertThat(accepted).as("accepted inputs").isGreaterThan(1_000);
    }

    /** A valid host of exactly {@code length} characters: labels of up to 63 letters joined by dots. */
    private static String longHost(int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            if (sb.length() > 0 && sb.length() % 64 == 63 && sb.length() < length - 1) {
                sb.append('.');
            } else {
                sb.append('x');
            }
        }
        return sb.toString();
    }
}
