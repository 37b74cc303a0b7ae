package dev.switchboard.engine.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActiveCookieTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final long NOW = 1_800_000_000L;

    private final ActiveCookie cookie = new ActiveCookie(new SipHash(new byte[16]),
            Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(30)).build(), "SBSRV");

    @Test
    void encodeThenDecode_randomServerIds_roundTrip() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 5_000; n++) {
            long id = random.nextLong(1, Long.MAX_VALUE);
            String value = cookie.encode(id, NOW);
            assertThat(value).hasSize(ActiveCookie.LENGTH);
            assertThat(cookie.decode("SBSRV=" + value, NOW)).isEqualTo(id);
        }
    }

    @Test
    void everySingleCharacterChange_isRejected() {
        String value = cookie.encode(0x1234_5678_9ABC_DEFL, NOW);
        for (int i = 0; i < value.length(); i++) {
            for (int k = 0; k < ALPHABET.length(); k++) {
                char c = ALPHABET.charAt(k);
                if (c == value.charAt(i)) {
                    continue;
                }
                String changed = value.substring(0, i) + c + value.substring(i + 1);
                assertThat(cookie.decode("SBSRV=" + changed, NOW)).as("position %d -> %s", i, c).isZero();
            }
        }
    }

    @Test
    void expiryAndRefresh_followTheTimeout() {
        String value = cookie.encode(42, NOW);
        assertThat(cookie.decode("SBSRV=" + value, NOW + 60)).isEqualTo(42);
        assertThat(cookie.decode("SBSRV=" + value, NOW + 181)).as("over a tenth used: refresh")
                .isEqualTo(42 | ActiveCookie.REFRESH);
        assertThat(cookie.decode("SBSRV=" + value, NOW + 1_800)).as("expired").isZero();
    }

    private final ActiveCookie other = new ActiveCookie(new SipHash(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            13, 14, 15, 16}), Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(5))
            .build(), "SBSRV");

    private static String value(String setCookie) {
        return setCookie.substring("SBSRV=".length(), setCookie.indexOf(';'));
    }

    @Test
    void decode_list_takesTheEntryThatVerifiesUnderThisKey() {
        String mine = cookie.encode(42, NOW);
        String theirs = other.encode(7, NOW);
        assertThat(cookie.decode("SBSRV=" + theirs + "." + mine, NOW)).isEqualTo(42);
        assertThat(other.decode("SBSRV=" + theirs + "." + mine, NOW)).isEqualTo(7);
        assertThat(cookie.decode("SBSRV=" + theirs, NOW)).isZero();
    }

    @Test
    void setCookie_freshEntryFirst_keepsOthersLiveEntries_dropsItsOwnOldOne_andExpiredOnes() {
        String theirs = other.encode(7, NOW);
        String mineOld = cookie.encode(41, NOW - 600);
        String header = "a=b; SBSRV=" + mineOld + "." + theirs + "; c=d";
        String v = value(cookie.setCookie(42, true, NOW, header).value());
        assertThat(v).isEqualTo(cookie.encode(42, NOW) + "." + theirs);
        long later = NOW + Duration.ofMinutes(6).toSeconds(); // theirs expired by its own (5-minute) expiry
        assertThat(value(cookie.setCookie(42, true, later, "SBSRV=" + v).value()))
                .isEqualTo(cookie.encode(42, later));
    }

    @Test
    void setCookie_withoutACookieOrWithGarbage_carriesOnlyTheFreshEntry() {
        for (String header : new String[] {null, "", "SBSRV=", "SBSRV=" + "A".repeat(27), "SBSRV=" + "%".repeat(27),
                "SBSRV=" + cookie.encode(1, NOW) + "!" + other.encode(2, NOW)}) {
            assertThat(value(cookie.setCookie(42, false, NOW, header).value())).isEqualTo(cookie.encode(42, NOW));
        }
    }
}
