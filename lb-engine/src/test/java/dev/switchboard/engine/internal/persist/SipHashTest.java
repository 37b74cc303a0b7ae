package dev.switchboard.engine.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SipHashTest {

    private static final byte[] KEY = new byte[16];

    static {
        for (int i = 0; i < 16; i++) {
            KEY[i] = (byte) i;
        }
    }

    @Test
    void hash_referenceVectors_matchThePaper() {
        SipHash sip = new SipHash(KEY);
        assertThat(sip.hash(new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        byte[] fifteen = new byte[15];
        for (int i = 0; i < 15; i++) {
            fifteen[i] = (byte) i;
        }
        assertThat(sip.hash(fifteen)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void hash12_equalsTheReferenceOnTwelveBytes() {
        SipHash sip = new SipHash(KEY);
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 10_000; n++) {
            long first = random.nextLong();
            int second = random.nextInt();
            byte[] message = new byte[12];
            for (int i = 0; i < 8; i++) {
                message[i] = (byte) (first >>> (8 * i));
            }
            for (int i = 0; i < 4; i++) {
                message[8 + i] = (byte) (second >>> (8 * i));
            }
            assertThat(sip.hash12(first, second)).isEqualTo(sip.hash(message));
        }
    }

    @Test
    void differentKeys_giveDifferentTags_andAWrongKeyLengthIsRefused() {
        byte[] other = KEY.clone();
        other[15] ^= 1;
        assertThat(new SipHash(other).hash12(42, 7)).isNotEqualTo(new SipHash(KEY).hash12(42, 7));
        assertThatIllegalArgumentException().isThrownBy(() -> new SipHash(new byte[8])).withMessageContaining("16");
    }
}
