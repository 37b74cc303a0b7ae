package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void regionMatchesIgnoreCase_asciiLetters_foldBothWays() {
        assertThat(Ascii.regionMatchesIgnoreCase("/OWA/x", 0, "/owa", 0, 4)).isTrue();
        assertThat(Ascii.regionMatchesIgnoreCase("/owa", 0, "/OWA/x", 0, 4)).isTrue();
        assertThat(Ascii.regionMatchesIgnoreCase("/owb", 0, "/owa", 0, 4)).isFalse();
        assertThat(Ascii.regionMatchesIgnoreCase("[", 0, "{", 0, 1)).as("not letters: no folding").isFalse();
    }

    @Test
    void regionMatchesIgnoreCase_outOfBounds_isFalseNotException() {
        assertThat(Ascii.regionMatchesIgnoreCase("/ow", 0, "/owa", 0, 4)).isFalse();
        assertThat(Ascii.regionMatchesIgnoreCase("abc", -1, "abc", 0, 1)).isFalse();
        assertThat(Ascii.regionMatchesIgnoreCase("abc", 3, "abc", 0, 1)).isFalse();
    }

    @Test
    void regionMatchesIgnoreCase_nonAscii_agreesWithJava() {
        assertThat(Ascii.regionMatchesIgnoreCase("xÄy", 0, "XäY", 0, 3)).isTrue();
        assertThat(Ascii.regionMatchesIgnoreCase("xÄy", 0, "XöY", 0, 3)).isFalse();
    }

    @Test
    void regionMatchesIgnoreCase_randomStrings_agreeWithStringRegionMatches() {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "aAbBzZ[{@`/%é É0";
        for (int n = 0; n < 50_000; n++) {
            String a = randomString(random, alphabet);
            String b = randomString(random, alphabet);
            int aFrom = random.nextInt(-1, a.length() + 2);
            int bFrom = random.nextInt(-1, b.length() + 2);
            int length = random.nextInt(0, 6);
            assertThat(Ascii.regionMatchesIgnoreCase(a, aFrom, b, bFrom, length))
                    .as("%s[%d] vs %s[%d] len %d", a, aFrom, b, bFrom, length)
                    .isEqualTo(a.regionMatches(true, aFrom, b, bFrom, length));
        }
    }

    private static String randomString(SplittableRandom random, String alphabet) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(0, 8);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
