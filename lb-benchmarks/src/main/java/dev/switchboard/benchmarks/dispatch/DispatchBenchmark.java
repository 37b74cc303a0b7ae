package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 * The full layer-7 dispatch of the design's budget table, through the public API: {@code engine.dispatch("mail",
 * request)} and, for a forward, {@code release(outcome)} (a lease taken must be returned, or the active counts
 * that weighted least-connection reads would grow without bound). One op = one dispatch + one release.
 *
 * <p>The virtual service {@code mail} (Exchange-like) has, in this order:
 * <ol>
 *   <li>for {@code ruleCount = 1000}: 992 filler sub-services, each with one ignore-case path prefix
 *       {@code /svc0001} ... {@code /svc0992}, before the others, so that first-match-wins has to look past
 *       them (for {@code ruleCount = 8} there are none);</li>
 *   <li>{@code owa}: {@code ContentMatch.all(host exact mail.example.com, path prefix /owa ignore case)};</li>
 *   <li>{@code ews}, {@code mapi}, {@code activesync}, {@code autodiscover}, {@code ecp}, {@code oab},
 *       {@code rpc}: one ignore-case path prefix each ({@code /ews}, {@code /mapi},
 *       {@code /Microsoft-Server-ActiveSync}, {@code /autodiscover}, {@code /ecp}, {@code /oab}, {@code /rpc});</li>
 *   <li>{@code default}: the default sub-service.</li>
 * </ol>
 * so that the content rules number exactly {@code ruleCount} path rules plus one host rule. Every sub-service
 * has the same 16 real servers (weights 1..5 from a fixed seed) and weighted least-connection scheduling.
 *
 * <p>Why the host rule sits in an all-of on {@code owa}: the engine puts sub-services whose match is only plain
 * path literals into a hash index and tries the others in order before the index's answer. An all-of with a
 * host rule is not indexable, and {@code owa} comes before every other Exchange sub-service, so the host rule is
 * evaluated on <em>every</em> request (host compare, then the {@code /owa} prefix compare), besides the index
 * lookup: the "host + 8 path rules" of the budget, paid in full. (A host check as a deny rule before matching
 * would instead allocate the engine's request-rewrite object on every request, which no host-only check
 * needs.) All requests carry {@code Host: mail.example.com} in lower case without port, the common case; a
 * mixed-case host or one with a port costs one more string in the host normalizer.
 *
 * <p>Requests cycle over 1024 {@link HttpRequest}s precomputed from a fixed seed: the Exchange paths with
 * mixed letter case ({@code /OWA/}, {@code /ews/Exchange.asmx}, {@code /Microsoft-Server-ActiveSync?...}),
 * paths that fall to the default, and filler paths {@code /svcNNNN/...} (which go to the default with 8 rules,
 * and to their filler sub-service with 1000). Paths are already normalized (no {@code %}, {@code .} segments or
 * {@code //}), so the path normalizer returns them as they are. The outcome passed to {@code release} is one
 * precomputed value.
 *
 * <p>{@code persistence = active-cookie} is the budget's line: every request carries a valid signed cookie
 * naming a server, so each dispatch is a persistence hit that skips the scheduler; {@code none} is the same
 * dispatch without persistence (weighted least-connection picks every time).
 *
 * <p>Run (allocation per op is {@code gc.alloc.rate.norm} in B/op):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar DispatchBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DispatchBenchmark {

    static final String VIRTUAL_SERVICE = "mail";
    static final String HOST = "mail.example.com";
    private static final int SERVERS = 16;
    static final int REQUESTS = 1 << 10;
    private static final long SEED = 0x5EED_0004L;
    static final Outcome OK = Outcome.ofStatus(200, 1_000_000L);

    /** The Exchange sub-services after {@code owa}: name and path prefix. */
    private static final String[][] EXCHANGE = {
        {"ews", "/ews"}, {"mapi", "/mapi"}, {"activesync", "/Microsoft-Server-ActiveSync"},
        {"autodiscover", "/autodiscover"}, {"ecp", "/ecp"}, {"oab", "/oab"}, {"rpc", "/rpc"},
    };

    /** Request paths (the target, with query where there is one) and the sub-service each must reach. */
    private static final String[][] PATHS = {
        {"/owa/", "owa"}, {"/owa/auth/logon.aspx", "owa"}, {"/owa/service.svc", "owa"},
        {"/ews/Exchange.asmx", "ews"}, {"/ews/exchange.asmx", "ews"},
        {"/mapi/emsmdb/", "mapi"}, {"/mapi/nspi/", "mapi"},
        {"/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&DeviceId=ABC123&DeviceType=iPhone", "activesync"},
        {"/Microsoft-Server-ActiveSync", "activesync"},
        {"/autodiscover/autodiscover.xml", "autodiscover"},
        {"/ecp/", "ecp"}, {"/oab/6f1c2a4e/oab.xml", "oab"}, {"/rpc/rpcproxy.dll", "rpc"},
        {"/", "default"}, {"/favicon.ico", "default"}, {"/robots.txt", "default"},
    };

    @Param({"8", "1000"})
    int ruleCount;

    /**
     * {@code none}, or {@code active-cookie}: the virtual service inserts a signed cookie shared by its
     * sub-services, and every request carries a valid one among two other cookies, so each dispatch is a cookie
     * persistence hit (decode, verify the SipHash tag, check the server).
     */
    @Param({"none", "active-cookie"})
    String persistence;

    private DispatchEngine engine;
    private HttpRequest[] requests;
    /** The sub-service each request must reach, checked once in setup. */
    private String[] expected;
    private int cursor;

    @Setup
    public void setUp() {
        if (ruleCount < 8) {
            throw new IllegalArgumentException("ruleCount: " + ruleCount + " (expected: 8 or more)");
        }
        boolean cookie = persistence.equals("active-cookie");
        engine = DispatchEngine.create(model(ruleCount - 8, cookie));
        expected = new String[REQUESTS];
        requests = requests(ruleCount - 8, expected, cookie ? cookieHeader(engine) : "");
        checkRouting();
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Decision dispatch() {
        Decision d = engine.dispatch(VIRTUAL_SERVICE, requests[cursor++ & (REQUESTS - 1)]);
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
        return d;
    }

    static LoadBalancer model(int fillers) {
        return model(fillers, false);
    }

    static LoadBalancer model(int fillers, boolean cookie) {
        List<RealServer> servers = servers();
        VirtualService.Builder vs = VirtualService.builder(VIRTUAL_SERVICE).listen("0.0.0.0:443")
                .protocol(Protocol.HTTPS).scheduling(SchedulingMethod.WEIGHTED_LEAST_CONNECTION);
        if (cookie) {
            vs.persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).shared(true)
                    .timeout(Duration.ofMinutes(45)).cookieSecret("benchmark-secret-0123456789").build());
        }
        for (int i = 1; i <= fillers; i++) {
            vs.subService(SubService.builder(filler(i))
                    .matchAny(ContentRule.pathPrefix("/" + filler(i)).ignoreCase()).realServers(servers).build());
        }
        vs.subService(SubService.builder("owa")
                .match(ContentMatch.all(ContentRule.host(MatchType.EXACT, HOST),
                        ContentRule.pathPrefix("/owa").ignoreCase()))
                .realServers(servers).build());
        for (String[] e : EXCHANGE) {
            vs.subService(SubService.builder(e[0]).matchAny(ContentRule.pathPrefix(e[1]).ignoreCase())
                    .realServers(servers).build());
        }
        vs.subService(SubService.builder("default").asDefault().realServers(servers).build());
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    private static String filler(int i) {
        return String.format(Locale.ROOT, "svc%04d", i);
    }

    private static List<RealServer> servers() {
        int[] weights = WeightMix.MIXED.weights(SERVERS);
        List<RealServer> servers = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            servers.add(RealServer.builder(String.format(Locale.ROOT, "ex%02d", i + 1), "10.0.0." + (i + 11) + ":443")
                    .weight(weights[i]).build());
        }
        return servers;
    }

    /**
     * The {@value #REQUESTS} requests, the same for every run; fills {@code expected} (of the same length) with the
     * sub-service each must reach.
     */
    static HttpRequest[] requests(int fillers, String[] expected) {
        return requests(fillers, expected, "");
    }

    /** A Cookie header with a valid persistence cookie between two others, as a browser sends it. */
    private static String cookieHeader(DispatchEngine engine) {
        Decision.Forward f = (Decision.Forward) engine.dispatch(VIRTUAL_SERVICE,
                HttpRequest.builder().scheme("https").authority(HOST).target("/owa/").build());
        String setCookie = f.onResponse(ResponseView.ofStatus(200)).stream()
                .filter(e -> e.name().equals("Set-Cookie")).findFirst().orElseThrow().value();
        f.release(OK);
        return "theme=dark; " + setCookie.substring(0, setCookie.indexOf(';')) + "; lang=en-GB";
    }

    static HttpRequest[] requests(int fillers, String[] expected, String cookieHeader) {
        SplittableRandom random = new SplittableRandom(SEED);
        HttpRequest[] out = new HttpRequest[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            String target;
            String sub;
            if (random.nextInt(8) == 0) {
                int n = 1 + random.nextInt(992);
                target = "/" + filler(n) + "/items/" + random.nextInt(1000);
                sub = n <= fillers ? filler(n) : "default";
            } else {
                String[] p = PATHS[random.nextInt(PATHS.length)];
                target = p[0];
                sub = p[1];
            }
            HttpRequest.Builder b = HttpRequest.builder().method("GET").scheme("https").authority(HOST)
                    .target(mixCase(target, random));
            if (!cookieHeader.isEmpty()) {
                b.header("Cookie", cookieHeader);
            }
            out[i] = b.build();
            expected[i] = sub;
        }
        return out;
    }

    /** Flips the case of each letter of the path (not the query) with probability 1/4. */
    private static String mixCase(String target, SplittableRandom random) {
        char[] chars = target.toCharArray();
        int end = target.indexOf('?') < 0 ? chars.length : target.indexOf('?');
        for (int i = 0; i < end; i++) {
            char c = chars[i];
            if (Character.isLetter(c) && random.nextInt(4) == 0) {
                chars[i] = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
            }
        }
        return new String(chars);
    }

    /** Fails the run at once when a request does not reach the sub-service this benchmark means it to. */
    private void checkRouting() {
        for (int i = 0; i < REQUESTS; i++) {
            Decision d = engine.dispatch(VIRTUAL_SERVICE, requests[i]);
            if (!(d instanceof Decision.Forward f)) {
                throw new IllegalStateException(requests[i] + ": expected a forward, got " + d);
            }
            if (persistence.equals("active-cookie") && !f.onResponse(ResponseView.ofStatus(200)).isEmpty()) {
                throw new IllegalStateException(requests[i] + ": the cookie was not a persistence hit");
            }
            f.release(OK);
            if (!f.target().subService().equals(expected[i])) {
                throw new IllegalStateException(requests[i] + ": reached " + f.target().subService()
                        + " (expected: " + expected[i] + ")");
            }
        }
    }
}
