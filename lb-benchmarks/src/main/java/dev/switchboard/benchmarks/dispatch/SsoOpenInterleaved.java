package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.SingleSignOn;
import dev.switchboard.engine.auth.SsoCookies;
import dev.switchboard.engine.auth.SsoRevocations;
import java.util.List;

/**
 * {@link SsoOpenBenchmark}'s A/B for a machine other work keeps busy ({@link Interleaved}): opening the SSO cookies of
 * {@code sessions} browsers in turn (each a new String, as a parsed header is), without the cache of opened cookies
 * and with it, in shuffled slices; CPU time, wall time and allocation per open.
 *
 * <pre>{@code
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.dispatch.SsoOpenInterleaved \
 *     [rounds=200] [opsPerSlice=20000] [sessions=1000]
 * }</pre>
 */
public final class SsoOpenInterleaved {

    private static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";
    private static final long NOW = 1_800_000_000L;

    private SsoOpenInterleaved() {
    }

    /** Opens the cookies of its sessions in turn. */
    private static final class Opener {
        private final SsoCookies cookies;
        private final String[] values;
        private int next;

        Opener(int openCache, int sessions) {
            SingleSignOn sso = SingleSignOn.builder().domain("example.com").secret(SECRET).build();
            cookies = SsoCookies.of(sso, () -> NOW, SsoRevocations.ofDefaults(), openCache);
            values = new String[sessions];
            for (int i = 0; i < sessions; i++) {
                values[i] = cookies.seal("user" + i);
            }
            cookies.revoke(cookies.seal("signed-out"));
        }

        long open() {
            String v = values[next];
            next = next + 1 == values.length ? 0 : next + 1;
            return cookies.open(new String(v.toCharArray())).user().length();
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Opener plain = new Opener(0, sessions);
        Opener cached = new Opener(SsoCookies.DEFAULT_OPEN_CACHE, sessions);
        Interleaved.run(List.of(new Interleaved.Subject("open (no cache)", plain::open),
                new Interleaved.Subject("open with the cache", cached::open)), rounds, ops, 0x5EED_0018L);
    }
}
