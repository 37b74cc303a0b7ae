package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.SingleSignOn;
import dev.switchboard.engine.auth.SsoCookies;
import dev.switchboard.engine.auth.SsoRevocations;
import dev.switchboard.engine.auth.SsoVerdict;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening the SSO cookie that a browser repeats on every request, without and with the engine's cache of opened
 * cookies ({@code openCache} 0 and {@link SsoCookies#DEFAULT_OPEN_CACHE}): {@code sessions} browsers take turns, each
 * with its own cookie (1: one browser; 1000: a busy gateway, all within the cache). Every call checks what the engine
 * checks per request (lifetime, idle time, revocation with one session revoked). A fixed clock: no refresh.
 *
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar SsoOpenBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
 *     -p openCache=0,10000
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SsoOpenBenchmark {

    private static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";
    private static final long NOW = 1_800_000_000L;

    @Param({"0", "10000"})
    int openCache;

    @Param({"1", "1000"})
    int sessions;

    private SsoCookies cookies;
    private String[] values;
    private int next;

    @Setup
    public void setUp() {
        SingleSignOn sso = SingleSignOn.builder().domain("example.com").secret(SECRET).build();
        SsoRevocations revocations = SsoRevocations.ofDefaults();
        cookies = SsoCookies.of(sso, () -> NOW, revocations, openCache);
        values = new String[sessions];
        for (int i = 0; i < sessions; i++) {
            values[i] = new String(cookies.seal("user" + i).toCharArray()); // as a request would carry it
        }
        cookies.revoke(cookies.seal("signed-out"));
        for (String v : values) {
            if (!cookies.open(v).valid()) {
                throw new IllegalStateException("a sealed cookie did not open");
            }
        }
    }

    @Benchmark
    public SsoVerdict open() {
        String v = values[next];
        next = next + 1 == values.length ? 0 : next + 1;
        // a new String per request, as the header parser makes: its hash is not cached yet
        return cookies.open(new String(v.toCharArray()));
    }
}
