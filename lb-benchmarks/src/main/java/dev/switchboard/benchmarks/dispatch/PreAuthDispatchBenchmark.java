package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SingleSignOn;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.SsoCookies;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of pre-authentication on the request path: one sub-service, eight real servers, round robin, the
 * request carrying a valid SSO cookie among two others. {@code none}: the sub-service does not authenticate (the
 * cookie is not looked at); {@code sso}: the engine opens the cookie (AES-256-GCM), adds {@code
 * X-Authenticated-User}, removes the cookie and wraps the forward; {@code challenge}: no cookie, a form redirect.
 *
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar PreAuthDispatchBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PreAuthDispatchBenchmark {

    private static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";
    private static final Outcome OK = Outcome.ofStatus(200, 1_000_000L);

    @Param({"none", "sso", "challenge"})
    String auth;

    private DispatchEngine engine;
    private HttpRequest request;

    @Setup
    public void setUp() {
        SingleSignOn sso = SingleSignOn.builder().domain("example.com").secret(SECRET).build();
        AuthPolicy policy = auth.equals("none") ? AuthPolicy.NONE : AuthPolicy.of(AuthMode.FORM);
        SubService.Builder sub = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa")).auth(policy);
        for (int i = 0; i < 8; i++) {
            sub.realServer(RealServer.of("ex" + i, "10.0.0." + (i + 1) + ":443"));
        }
        LoadBalancer model = LoadBalancer.builder()
                .authentication(Authentication.builder().realm("mail").sso(sso).build())
                .virtualService(VirtualService.builder("mail").subService(sub.build()).build())
                .build();
        engine = DispatchEngine.create(model);
        String cookie = auth.equals("challenge") ? "" : "; SBSSO=" + SsoCookies.of(sso).seal("alice");
        request = HttpRequest.builder().scheme("https").authority("mail.example.com").target("/owa/?ae=Item")
                .header("Cookie", "lang=en" + cookie + "; theme=dark").build();
        Decision d = engine.dispatch("mail", request);
        boolean ok = auth.equals("challenge") ? d instanceof Decision.Redirect
                : d instanceof Decision.Forward f && f.authenticatedUser().equals(auth.equals("sso") ? "alice" : "");
        if (!ok) {
            throw new IllegalStateException("unexpected decision for " + auth + ": " + d);
        }
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Decision dispatch() {
        Decision d = engine.dispatch("mail", request);
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
        return d;
    }
}
