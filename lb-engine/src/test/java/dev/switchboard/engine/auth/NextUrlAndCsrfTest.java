package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NextUrlAndCsrfTest {

    @Test
    void nextUrl_samesitePaths_areKept() {
        assertThat(NextUrl.orRoot("/owa/?ae=Item&id=1")).isEqualTo("/owa/?ae=Item&id=1");
        assertThat(NextUrl.orRoot("/")).isEqualTo("/");
        assertThat(NextUrl.orRoot("/a%2Fb")).isEqualTo("/a%2Fb");
    }

    @Test
    void nextUrl_elsewhere_becomesRoot() {
        for (String bad : new String[] {"//evil", "https://evil", "/\\evil", "\\\\evil", "/%2F%2Fevil",
            "/%5cevil", "javascript:alert(1)", "evil", "", "/a b", "/a\r\nSet-Cookie: x", "/\u00e9",
            "/" + "a".repeat(3000), "///evil"}) {
            assertThat(NextUrl.isSafe(bad)).as(bad).isFalse();
            assertThat(NextUrl.orRoot(bad)).isEqualTo("/");
        }
        assertThat(NextUrl.orRoot(null)).isEqualTo("/");
    }

    @Test
    void csrf_tokenOfItsCookie_verifies() {
        CsrfTokens csrf = CsrfTokens.of(SsoCookiesTest.SECRET, Duration.ofMinutes(30));
        CsrfTokens.Token t = csrf.issue();
        assertThat(csrf.verify(t.cookie(), t.form())).isTrue();
    }

    @Test
    void csrf_secondPageForTheSameCookie_keepsTheFirstFormValid() {
        CsrfTokens csrf = CsrfTokens.of(SsoCookiesTest.SECRET, Duration.ofMinutes(30));
        CsrfTokens.Token first = csrf.issue();
        CsrfTokens.Token second = csrf.issue(first.cookie());
        assertThat(second.cookie()).isEqualTo(first.cookie());
        assertThat(csrf.verify(second.cookie(), first.form())).isTrue();
        assertThat(csrf.verify(second.cookie(), second.form())).isTrue();
        for (String odd : new String[] {null, "", "short", "x".repeat(23) + "!", "y".repeat(25)}) {
            CsrfTokens.Token fresh = csrf.issue(odd);
            assertThat(fresh.cookie()).isNotEqualTo(odd).hasSize(24);
            assertThat(csrf.verify(fresh.cookie(), fresh.form())).isTrue();
        }
    }

    @Test
    void csrf_mismatchOrForgeryOrGarbage_isRefused() {
        CsrfTokens csrf = CsrfTokens.of(SsoCookiesTest.SECRET, Duration.ofMinutes(30));
        CsrfTokens.Token a = csrf.issue();
        CsrfTokens.Token b = csrf.issue();
        assertThat(csrf.verify(a.cookie(), b.form())).isFalse();
        assertThat(csrf.verify(b.cookie(), a.form())).isFalse();
        assertThat(csrf.verify(a.cookie(), null)).isFalse();
        assertThat(csrf.verify(null, a.form())).isFalse();
        assertThat(csrf.verify(a.cookie(), "")).isFalse();
        assertThat(csrf.verify(a.cookie(), "zz.abc")).isFalse();
        assertThat(csrf.verify(a.cookie(), a.form() + "x")).isFalse();
        CsrfTokens other = CsrfTokens.of(SsoCookiesTest.SECRET + "x", Duration.ofMinutes(30));
        assertThat(other.verify(a.cookie(), a.form())).isFalse();
    }

    @Test
    void csrf_oldToken_isRefused() {
        AtomicLong now = new AtomicLong(1_800_000_000L);
        CsrfTokens csrf = CsrfTokens.of(SsoCookiesTest.SECRET, Duration.ofMinutes(30), now::get);
        CsrfTokens.Token t = csrf.issue();
        now.addAndGet(29 * 60);
        assertThat(csrf.verify(t.cookie(), t.form())).isTrue();
        now.addAndGet(2 * 60);
        assertThat(csrf.verify(t.cookie(), t.form())).isFalse();
        assertThatThrownBy(() -> CsrfTokens.of("s", Duration.ZERO)).hasMessageContaining("maxAge: PT0S");
    }
}
