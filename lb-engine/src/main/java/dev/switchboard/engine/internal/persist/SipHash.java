package dev.switchboard.engine.internal.persist;

/**
 * SipHash-2-4 (Aumasson and Bernstein), a keyed pseudo-random function built as a MAC for short inputs. Used to
 * sign active cookies: fast (no allocation, a few dozen ns for 12 bytes) and, with a secret 128-bit key, a forged
 * tag is a 1 in 2^64 guess. Immutable and thread-safe.
 */
final class SipHash {

    private final long k0;
    private final long k1;

    /** @param key 16 bytes */
    SipHash(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("key: " + key.length + " bytes (expected: 16)");
        }
        this.k0 = littleEndian(key, 0);
        this.k1 = littleEndian(key, 8);
    }

    /**
     * The tag of a 12-byte message: the 8 bytes of {@code first} then the 4 bytes of {@code second}, little-endian.
     * Written out on locals so that nothing is allocated.
     */
    long hash12(long first, int second) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long last = (12L << 56) | (second & 0xFFFFFFFFL);
        for (int block = 0; block < 3; block++) {
            long m = block == 0 ? first : last;
            int rounds = 2;
            if (block < 2) {
                v3 ^= m;
            } else {
                v2 ^= 0xFF;
                rounds = 4;
            }
            for (int r = 0; r < rounds; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            if (block < 2) {
                v0 ^= m;
            }
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** The tag of any message (the reference algorithm; for tests and short keys). */
    long hash(byte[] message) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int blocks = message.length / 8;
        for (int i = 0; i < blocks; i++) {
            compress(v, littleEndian(message, i * 8));
        }
        long last = (long) (message.length & 0xFF) << 56;
        for (int i = message.length - 1; i >= blocks * 8; i--) {
            last |= (message[i] & 0xFFL) << (8 * (i - blocks * 8));
        }
        compress(v, last);
        return finish(v);
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static long finish(long[] v) {
        v[2] ^= 0xFF;
        round(v);
        round(v);
        round(v);
        round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    private static long littleEndian(byte[] b, int from) {
        long r = 0;
        for (int i = 7; i >= 0; i--) {
            r = (r << 8) | (b[from + i] & 0xFFL);
        }
        return r;
    }
}
