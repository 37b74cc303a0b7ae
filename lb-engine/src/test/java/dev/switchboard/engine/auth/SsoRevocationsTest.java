package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Logout ends a session on the host: the cookie, copies of it and its refreshed successors are refused, other
 * sessions are not; entries leave with the session's last possible validity; a full list fails closed.
 */
class SsoRevocationsTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000L);

    private SsoCookies cookies(SsoRevocations revocations) {
        return SsoCookies.of(SsoCookiesTest.sso("example.test", SsoCookiesTest.SECRET), now::get, revocations);
    }

    @Test
    void revoke_refusesTheCookieItsCopiesAndItsRefreshedSuccessors_onEveryOpenerOfTheList() {
        SsoRevocations list = SsoRevocations.ofDefaults();
        SsoCookies gateway = cookies(list);
        SsoCookies otherVirtualService = cookies(list);
        String copied = gateway.seal("alice");
        String bob = gateway.seal("bob");
        now.addAndGet(20 * 60); // past a quarter of the idle timeout: the browser gets a refreshed cookie
        String refreshed = gateway.open(copied).refreshed();
        assertThat(refreshed).isNotEmpty().isNotEqualTo(copied);

        assertThat(gateway.revoke(refreshed)).isTrue(); // the browser signs out with its newest cookie

        for (SsoCookies c : new SsoCookies[] {gateway, otherVirtualService}) {
            assertThat(c.open(copied).status()).isEqualTo(SsoVerdict.Status.REVOKED);
            assertThat(c.open(refreshed).status()).isEqualTo(SsoVerdict.Status.REVOKED);
            assertThat(c.open(bob).user()).isEqualTo("bob");
        }
        assertThat(cookies(SsoRevocations.ofDefaults()).open(copied).valid()).as("another list").isTrue();
        assertThat(gateway.open(gateway.seal("alice")).valid()).as("a fresh login").isTrue();
        assertThat(list.size()).isEqualTo(1);
    }

    @Test
    void revoke_ofSomethingNotOurs_changesNothing() {
        SsoRevocations list = SsoRevocations.ofDefaults();
        SsoCookies c = cookies(list);
        assertThat(c.revoke("garbage")).isFalse();
        assertThat(c.revoke(SsoCookies.of(SsoCookiesTest.sso("other.test", SsoCookiesTest.SECRET), now::get)
                .seal("alice"))).isFalse();
        String over = c.seal("alice");
        now.addAndGet(8 * 3600);
        assertThat(c.revoke(over)).as("its session is over").isFalse();
        assertThat(list.size()).isZero();
    }

    @Test
    void entries_leaveOnceNoCookieOfTheirSessionCanBeValid() {
        SsoRevocations list = SsoRevocations.of(4);
        SsoCookies c = cookies(list);
        for (int i = 0; i < 4; i++) {
            assertThat(c.revoke(c.seal("user" + i))).isTrue();
        }
        assertThat(list.size()).isEqualTo(4);
        now.addAndGet(3600 + SsoRevocations.CLOCK_SLACK_SECONDS + 1); // idle timeout after the logout, and slack
        String live = c.seal("carol");
        assertThat(c.revoke(live)).isTrue(); // the list was full: expired entries are swept first, nobody else ends
        assertThat(list.size()).isEqualTo(1);
        assertThat(c.open(c.seal("dave")).valid()).isTrue();
        assertThat(c.open(live).status()).isEqualTo(SsoVerdict.Status.REVOKED);
    }

    @Test
    void aFullListOfLiveEntries_endsEverySessionIssuedUntilNow_failsClosed() {
        SsoRevocations list = SsoRevocations.of(2);
        SsoCookies c = cookies(list);
        String a = c.seal("a");
        String b = c.seal("b");
        String survivorBefore = c.seal("erin");
        c.revoke(a);
        c.revoke(b);
        assertThat(c.revoke(c.seal("frank"))).isTrue();
        assertThat(list.size()).isZero();
        for (String value : new String[] {a, b, survivorBefore}) {
            assertThat(c.open(value).status()).isEqualTo(SsoVerdict.Status.REVOKED);
        }
        now.incrementAndGet();
        assertThat(c.open(c.seal("grace")).valid()).as("a login after the overflow").isTrue();
    }

    @Test
    void of_outOfRange_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> SsoRevocations.of(0)).hasMessage("maxEntries: 0 (expected: 1..10000000)");
    }
}
