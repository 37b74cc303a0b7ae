package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.SingleSignOn;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SsoCookiesTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private final AtomicLong now = new AtomicLong(1_800_000_000L);

    static SingleSignOn sso(String domain, String secret) {
        return SingleSignOn.builder().domain(domain).secret(secret).timeout(Duration.ofHours(8))
                .idleTimeout(Duration.ofHours(1)).build();
    }

    private SsoCookies cookies(String domain) {
        return SsoCookies.of(sso(domain, SECRET), now::get);
    }

    @Test
    void open_sealedCookie_isValidForItsUser() {
        SsoCookies c = cookies("example.test");
        SsoVerdict v = c.open(c.seal("alice"));
        assertThat(v.status()).isEqualTo(SsoVerdict.Status.VALID);
        assertThat(v.user()).isEqualTo("alice");
        assertThat(v.refreshed()).isEmpty();
    }

    @Test
    void open_everyFlippedBit_isForged() {
        SsoCookies c = cookies("example.test");
        byte[] raw = Base64.getUrlDecoder().decode(c.seal("alice"));
        for (int i = 0; i < raw.length; i++) {
            byte[] copy = raw.clone();
            copy[i] ^= 1;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
            assertThat(c.open(forged).status()).as("byte %d", i).isEqualTo(SsoVerdict.Status.FORGED);
        }
    }

    @Test
    void open_garbage_isForgedNeverThrows() {
        SsoCookies c = cookies("example.test");
        for (String bad : new String[] {"", "x", "!!!!", "AAAA", "a".repeat(3000), "admin", "=="}) {
            assertThat(c.open(bad).status()).as(bad).isEqualTo(SsoVerdict.Status.FORGED);
        }
    }

    @Test
    void open_cookieOfAnotherSecret_isForged() {
        SsoCookies other = SsoCookies.of(sso("example.test", SECRET + "-other"), now::get);
        assertThat(cookies("example.test").open(other.seal("alice")).status()).isEqualTo(SsoVerdict.Status.FORGED);
    }

    @Test
    void open_cookieOfAnotherDomainSameSecret_isOtherDomain() {
        String foreign = cookies("other.test").seal("alice");
        assertThat(cookies("example.test").open(foreign).status()).isEqualTo(SsoVerdict.Status.OTHER_DOMAIN);
    }

    @Test
    void open_afterTimeout_isExpiredEvenWhenActive() {
        SsoCookies c = cookies("example.test");
        String value = c.seal("alice");
        int minutes = 0;
        SsoVerdict v = c.open(value);
        while (v.valid() && minutes < 1_000) { // used every 30 minutes: never idle, refreshed each time
            value = v.refreshed().isEmpty() ? value : v.refreshed();
            now.addAndGet(30 * 60);
            minutes += 30;
            v = c.open(value);
            if (v.valid()) {
                assertThat(v.refreshed()).isNotEmpty();
            }
        }
        assertThat(v.status()).isEqualTo(SsoVerdict.Status.EXPIRED);
        assertThat(minutes).isEqualTo(8 * 60);
    }

    @Test
    void open_unusedLongerThanIdleTimeout_isIdle() {
        SsoCookies c = cookies("example.test");
        String value = c.seal("alice");
        now.addAndGet(3600);
        assertThat(c.open(value).status()).isEqualTo(SsoVerdict.Status.IDLE);
    }

    @Test
    void open_afterAQuarterOfTheIdleTime_comesWithARefreshedCookie() {
        SsoCookies c = cookies("example.test");
        String value = c.seal("alice");
        now.addAndGet(14 * 60);
        assertThat(c.open(value).refreshed()).isEmpty();
        now.addAndGet(60);
        SsoVerdict v = c.open(value);
        assertThat(v.refreshed()).isNotEmpty().isNotEqualTo(value);
        now.addAndGet(50 * 60); // 65 min after the login, 50 after the refresh: only the refreshed one lives
        assertThat(c.open(value).status()).isEqualTo(SsoVerdict.Status.IDLE);
        assertThat(c.open(v.refreshed()).user()).isEqualTo("alice");
    }

    @Test
    void findAndWithout_keepOtherCookies() {
        SsoCookies c = cookies("example.test");
        assertThat(c.find("a=1; SBSSO=xyz; b=2")).isEqualTo("xyz");
        assertThat(c.find("XSBSSO=1; SBSSOX=2")).isEmpty();
        assertThat(c.without("a=1; SBSSO=xyz; b=2")).isEqualTo("a=1; b=2");
        assertThat(c.without("SBSSO=xyz")).isEmpty();
    }

    @Test
    void setCookie_isHttpOnlyWithDomainAndSecureOnHttps() {
        SsoCookies c = cookies("example.test");
        assertThat(c.setCookie("v", true)).isEqualTo(
                "SBSSO=v; Domain=example.test; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax; Secure");
        assertThat(c.clearCookie(false)).contains("Max-Age=0").doesNotContain("Secure");
    }

    @Test
    void seal_emptyOrHugeUser_isRefused() {
        assertThatThrownBy(() -> cookies("").seal("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cookies("").seal("u".repeat(300))).isInstanceOf(IllegalArgumentException.class);
    }
}
