package dev.switchboard.tls.internal.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long randomized test in place of a coverage-guided fuzzer: random bytes and mutated valid hellos (bit flips,
 * interesting bytes, insertions, deletions, truncations, length-field rewrites, splices) through both parsers.
 * Every input must get an answer, no exception, and the same answer when it sits inside a larger array full of
 * junk (so nothing outside the range is read); every shorter prefix of a parsed hello must ask for more bytes,
 * and for no more than the hello took. Bounded: 200,000 inputs or 20 seconds, whichever comes first;
 * seeded, so a failure reproduces.
 */
class HelloFuzzTest {

    private static final long SEED = 0x5EED_7157L;
    private static final int MAX_INPUTS = 200_000;
    private static final long MAX_NANOS = 20_000_000_000L;
    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x04, 0x16, 0x20, 0x21, 0x2a, 0x3f, 0x40,
        0x7f, 0x80, 0xfe, 0xff};

    @Test
    @Timeout(60)
    void parsers_randomAndMutatedInput_answerWithoutExceptionOrOverread() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<byte[]> seeds = seeds();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        long deadline = System.nanoTime() + MAX_NANOS;
        int inputs = 0;
        while (inputs < MAX_INPUTS && System.nanoTime() < deadline) {
            byte[] input = next(random, seeds);
            check(input, TlsHellos.parseClientHello(input, 0, input.length), true, random, outcomes);
            check(input, TlsHellos.parseServerHello(input, 0, input.length), false, random, outcomes);
            inputs++;
        }
        System.out.println("hello fuzz: " + inputs + " inputs, outcomes " + outcomes);

        assertThat(inputs).isGreaterThan(10_000);
        assertThat(outcomes.keySet()).contains("client:ClientHello", "client:Malformed", "client:NeedMoreBytes",
                "client:NotTls", "server:ServerHello", "server:Malformed");
    }

    private static void check(byte[] input, HelloResult result, boolean client, SplittableRandom random,
            TreeMap<String, Integer> outcomes) {
        String where = "input " + java.util.HexFormat.of().formatHex(input);
        assertThat(result).as(where).isNotNull();
        if (result instanceof HelloResult.Malformed) {
            assertThat(((HelloResult.Malformed) result).reason()).as(where).doesNotStartWith("internal parser error");
        }
        if (result instanceof HelloResult.NeedMoreBytes) {
            assertThat(((HelloResult.NeedMoreBytes) result).atLeast()).as(where).isGreaterThan(input.length);
        }
        int before = random.nextInt(0, 16);
        byte[] padded = new byte[before + input.length + random.nextInt(0, 16)];
        for (int i = 0; i < padded.length; i++) {
            padded[i] = (byte) random.nextInt(256);
        }
        System.arraycopy(input, 0, padded, before, input.length);
        HelloResult inside = client ? TlsHellos.parseClientHello(padded, before, input.length)
                : TlsHellos.parseServerHello(padded, before, input.length);
        assertThat(inside).as(where).isEqualTo(result);
        int length = result instanceof HelloResult.ClientHello ? ((HelloResult.ClientHello) result).length()
                : result instanceof HelloResult.ServerHello ? ((HelloResult.ServerHello) result).length() : -1;
        if (length > 0) {   // any shorter prefix of a hello must ask for more, and never for more than the hello
            int prefix = random.nextInt(length);
            HelloResult partial = client ? TlsHellos.parseClientHello(input, 0, prefix)
                    : TlsHellos.parseServerHello(input, 0, prefix);
            assertThat(partial).as(where + " prefix " + prefix).isInstanceOf(HelloResult.NeedMoreBytes.class);
            assertThat(((HelloResult.NeedMoreBytes) partial).atLeast()).as(where + " prefix " + prefix)
                    .isGreaterThan(prefix).isLessThanOrEqualTo(length);
        }
        outcomes.merge((client ? "client:" : "server:") + result.getClass().getSimpleName(), 1, Integer::sum);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        byte[] tls12 = Hellos.tls12ClientHello("mail.example.com");
        byte[] tls13 = Hellos.tls13GreaseClientHello("owa.example.com");
        seeds.add(Hellos.record(tls12));
        seeds.add(Hellos.record(tls13));
        seeds.add(Hellos.records(tls13, 7));
        seeds.add(Hellos.records(tls12, 1, 2, tls12.length - 3));
        seeds.add(Hellos.record(Hellos.handshake(1, Hellos.clientHelloBody(0x0303, new byte[0], new int[] {0x2f}))));
        seeds.add(Hellos.record(Hellos.handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, Hellos.SESSION_ID,
                0xc02f, Hellos.alpn("h2")))));
        seeds.add(Hellos.record(Hellos.handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, Hellos.SESSION_ID,
                0x1301, Hellos.ext(43, Hellos.u16(0x0304))))));
        return seeds;
    }

    private static byte[] next(SplittableRandom random, List<byte[]> seeds) {
        int mode = random.nextInt(10);
        if (mode == 0) {
            byte[] b = new byte[random.nextInt(0, 300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = 22;
            }
            return b;
        }
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int mutations = 1 + random.nextInt(mode == 1 ? 20 : 4);
        for (int m = 0; m < mutations; m++) {
            b = mutate(random, b, seeds);
        }
        return b;
    }

    private static byte[] mutate(SplittableRandom random, byte[] b, List<byte[]> seeds) {
        if (b.length == 0) {
            return new byte[] {22};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(8)) {
            case 0:
                b[at] ^= (byte) (1 << random.nextInt(8));
                return b;
            case 1:
                b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                return b;
            case 2:
                return Arrays.copyOf(b, at);
            case 3: {
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
            case 4: {
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                return out;
            }
            case 5:   // a plausible 16-bit length somewhere: off by a little, or huge
                if (at + 1 < b.length) {
                    int v = ((b[at] & 0xff) << 8 | b[at + 1] & 0xff) + random.nextInt(-3, 4);
                    if (random.nextInt(4) == 0) {
                        v = random.nextInt(0x10000);
                    }
                    b[at] = (byte) (v >>> 8);
                    b[at + 1] = (byte) v;
                }
                return b;
            case 6: {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(other.length);
                byte[] out = Arrays.copyOf(b, at + other.length - cut);
                System.arraycopy(other, cut, out, at, other.length - cut);
                return out;
            }
            default: {
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
        }
    }
}
