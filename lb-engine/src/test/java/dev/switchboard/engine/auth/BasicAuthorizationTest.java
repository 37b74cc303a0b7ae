package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthorizationTest {

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static String malformed(String header) {
        BasicAuthorization a = BasicAuthorization.parse(header, "192.0.2.7");
        assertThat(a).isInstanceOf(BasicAuthorization.Malformed.class);
        return ((BasicAuthorization.Malformed) a).reason();
    }

    @Test
    void parse_validHeader_givesCredentialsWithColonInPassword() {
        BasicAuthorization a = BasicAuthorization.parse(basic("alice:se:cr\u00e9t"), "192.0.2.7");
        BasicAuthorization.Present p = (BasicAuthorization.Present) a;
        assertThat(p.credentials().user()).isEqualTo("alice");
        assertThat(p.credentials().password()).isEqualTo("se:cr\u00e9t");
        assertThat(p.credentials().clientAddress()).isEqualTo("192.0.2.7");
    }

    @Test
    void parse_latin1Credentials_areReadAsLatin1() {
        String header = "basic " + Base64.getEncoder()
                .encodeToString("j\u00f6rg:x".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(((BasicAuthorization.Present) BasicAuthorization.parse(header, "")).credentials().user())
                .isEqualTo("j\u00f6rg");
    }

    @Test
    void parse_noHeaderOrOtherScheme_isAbsent() {
        assertThat(BasicAuthorization.parse(null, "")).isInstanceOf(BasicAuthorization.Absent.class);
        assertThat(BasicAuthorization.parse("Bearer abc", "")).isInstanceOf(BasicAuthorization.Absent.class);
        assertThat(BasicAuthorization.parse("Basicx abc", "")).isInstanceOf(BasicAuthorization.Absent.class);
    }

    @Test
    void parse_badInput_isMalformedWithAReasonThatQuotesNothing() {
        assertThat(malformed("Basic !!!not-base64!!!")).contains("not valid base64").doesNotContain("!!!");
        assertThat(malformed(basic("alicesecret"))).contains("no colon");
        assertThat(malformed(basic(":secret"))).contains("empty user name");
        assertThat(malformed(basic("al\nice:secret"))).contains("control character");
        assertThat(malformed("Basic")).contains("without credentials");
        assertThat(malformed(basic("u".repeat(300) + ":p"))).contains("longer than 256");
    }

    @Test
    void parse_100KilobyteHeader_isMalformedWithoutDecoding() {
        String huge = "Basic " + "QUFB".repeat(25_000);
        assertThat(malformed(huge)).contains("longer than 4096");
    }
}
