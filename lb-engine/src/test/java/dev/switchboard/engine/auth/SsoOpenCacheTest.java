package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.SingleSignOn;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The engine's cache of opened SSO cookies changes no verdict: a hit is judged afresh (revocation, idle time,
 * refresh), garbage is never kept, and it holds at most its size.
 */
class SsoOpenCacheTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000L);
    private final SsoRevocations revocations = SsoRevocations.ofDefaults();

    private SsoCookies cookies(Duration idle, int openCache) {
        SingleSignOn sso = SingleSignOn.builder().domain("example.test").secret(SsoCookiesTest.SECRET)
                .timeout(Duration.ofHours(8)).idleTimeout(idle).build();
        return SsoCookies.of(sso, now::get, revocations, openCache);
    }

    @Test
    void aCachedCookie_isRefusedOnceItsSessionIsRevoked() {
        SsoCookies c = cookies(Duration.ofHours(1), 100);
        String value = c.seal("alice");
        assertThat(c.open(value).user()).isEqualTo("alice");
        assertThat(c.open(value).user()).isEqualTo("alice");
        assertThat(c.openCacheSize()).isEqualTo(1);
        assertThat(c.revoke(value)).isTrue();
        assertThat(c.open(value).status()).isEqualTo(SsoVerdict.Status.REVOKED);
    }

    @Test
    void aCachedCookie_isJudgedByItsOwnTimesOnEveryHit_idleAndRefresh() {
        SsoCookies c = cookies(Duration.ofSeconds(20), 100);
        String value = c.seal("alice");
        assertThat(c.open(value).refreshed()).isEmpty();
        now.addAndGet(6); // a quarter of the idle time: refreshed, though the entry is 6 s old
        assertThat(c.open(value).refreshed()).isNotEmpty();
        now.addAndGet(15); // 21 s unused: idle, within the cache's own time to live
        assertThat(c.open(value).status()).isEqualTo(SsoVerdict.Status.IDLE);
    }

    @Test
    void garbageIsNeverKept_andTheSizeIsBounded() {
        SsoCookies c = cookies(Duration.ofHours(1), 2);
        for (String bad : new String[] {"x", "A".repeat(64), "=="}) {
            assertThat(c.open(bad).status()).isEqualTo(SsoVerdict.Status.FORGED);
        }
        assertThat(c.openCacheSize()).isZero();
        String[] values = {c.seal("a"), c.seal("b"), c.seal("c")};
        for (String v : values) {
            assertThat(c.open(v).valid()).isTrue();
        }
        assertThat(c.openCacheSize()).isEqualTo(2);
        assertThat(c.open(values[2]).user()).as("not cached, opened in full").isEqualTo("c");
        now.addAndGet(SsoCookies.OPEN_CACHE_TTL_SECONDS + 2);
        assertThat(c.open(values[2]).user()).isEqualTo("c");
        assertThat(c.openCacheSize()).as("the old entries swept for it").isEqualTo(1);
    }

    @Test
    void aCookieOfAnotherSecret_isForgedWithOrWithoutTheCache() {
        SsoCookies other = SsoCookies.of(SsoCookiesTest.sso("example.test", SsoCookiesTest.SECRET + "-x"), now::get);
        assertThat(cookies(Duration.ofHours(1), 100).open(other.seal("alice")).status())
                .isEqualTo(SsoVerdict.Status.FORGED);
    }

    @Test
    void openCache_outOfRange_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> cookies(Duration.ofHours(1), -1))
                .hasMessage("openCache: -1 (expected: 0..1000000)");
    }
}
