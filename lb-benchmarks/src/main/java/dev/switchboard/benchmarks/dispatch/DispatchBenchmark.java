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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The full layer-7 dispatch of the design's budget table, through the public API: {@code engine.dispatch("mail",
 * request)} (decision trace off) and, for a forward, {@code release(outcome)} (a lease taken must be returned, or
 * the active counts that weighted least-connection reads would grow without bound). One op = one dispatch + one
 * release.
 *
 * <p>The virtual service {@code mail} (Exchange-like) has exactly {@code ruleCount} path rules plus one host rule,
 * in this order:
 * <ol>
 *   <li>{@code ruleCount - 8} filler sub-services (for 100 and 1000 rules), each with one path rule for
 *       {@code /svc0001} ... {@code /svc0992}, before the others, so that first-match-wins has to look past
 *       them;</li>
 *   <li>{@code owa}: {@code ContentMatch.all(host exact mail.example.com, path rule /owa)};</li>
 *   <li>as many as fit in {@code ruleCount} of {@code ews}, {@code mapi}, {@code activesync},
 *       {@code autodiscover}, {@code ecp}, {@code oab}, {@code rpc}: one path rule each ({@code /ews},
 *       {@code /mapi}, {@code /Microsoft-Server-ActiveSync}, {@code /autodiscover}, {@code /ecp}, {@code /oab},
 *       {@code /rpc}) — so 1 rule is {@code owa} alone, 8 is {@code owa} and all seven;</li>
 *   <li>{@code default}: the default sub-service.</li>
 * </ol>
 * Path rules are ignore-case prefixes ({@code rules = LITERAL}) or, with {@code REGEX_MIX}, every tenth one
 * (the first, the 11th, ...) an ignore-case regular expression {@code ^/prefix(/|$)} matching the same paths
 * ({@link RuleMix}). Every sub-service has the same 16 real servers (weights 1..5 from a fixed seed) and weighted
 * least-connection scheduling.
 *
 * <p>Why the host rule sits in an all-of on {@code owa}: the engine puts sub-services whose match is only plain
 * path literals into a hash index and tries the others in order before the index's answer. An all-of with a
 * host rule is not indexable, and {@code owa} comes before every other Exchange sub-service, so the host rule is
 * evaluated on <em>every</em> request (host compare, then the {@code /owa} rule), besides the index lookup: the
 * "host + 8 path rules" of the budget, paid in full. All requests carry {@code Host: mail.example.com} in lower
 * case without port, the common case.
 *
 * <p>Requests cycle over 1024 {@link HttpRequest}s precomputed from a fixed seed: the Exchange paths with
 * mixed letter case ({@code /OWA/}, {@code /ews/Exchange.asmx}, {@code /Microsoft-Server-ActiveSync?...}),
 * paths that fall to the default, and filler paths {@code /svcNNNN/...} (which reach their filler sub-service
 * where it exists and the default otherwise). Paths are already normalized. Setup dispatches every request once
 * and fails the run if one does not reach the sub-service it is meant to. Each thread walks the requests from its
 * own offset.
 *
 * <p>{@code persistence = active-cookie} is the budget's line: the virtual service inserts a signed cookie shared
 * by its sub-services, and every request carries a valid one among two other cookies, so each dispatch is a
 * persistence hit that skips the scheduler; {@code none} is the same dispatch without persistence (weighted
 * least-connection picks every time).
 *
 * <p>{@link #dispatch} runs on one thread, {@link #dispatchTwoThreads} on two threads sharing the engine (times per
 * op per thread; scaling ratio {@code 2 * t1 / t2}).
 *
 * <p>Run (allocation per op is {@code gc.alloc.rate.norm} in B/op):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar DispatchBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
 *     -rf json -rff dispatch.json
 * java -jar lb-benchmarks/target/benchmarks.jar 'DispatchBenchmark.dispatch$' -p ruleCount=8 -p rules=LITERAL \
 *     -p persistence=active-cookie -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
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
    /** 992 fillers + the 8 Exchange rules: the filler paths of the request mix name at most {@code /svc0992}. */
    static final int MAX_RULES = 1000;
    static final int REQUESTS = 1 << 10;
    private static final long SEED = 0x5EED_0004L;
    static final Outcome OK = Outcome.ofStatus(200, 1_000_000L);

    /** The Exchange sub-services, {@code owa} first: name and path prefix. */
    private static final String[][] EXCHANGE = {
        {"owa", "/owa"}, {"ews", "/ews"}, {"mapi", "/mapi"}, {"activesync", "/Microsoft-Server-ActiveSync"},
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

    @Param({"1", "8", "100", "1000"})
    int ruleCount;

    @Param({"LITERAL", "REGEX_MIX"})
    RuleMix rules;

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

    /** One thread's position in the request cycle. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        @Setup
        public void setUp(ThreadParams thread) {
            position = thread.getThreadIndex() * (REQUESTS / 2);
        }

        int next() {
            return position++ & (REQUESTS - 1);
        }
    }

    @Setup
    public void setUp() {
        if (ruleCount < 1 || ruleCount > MAX_RULES) {
            throw new IllegalArgumentException("ruleCount: " + ruleCount + " (expected: 1.." + MAX_RULES + ")");
        }
        boolean cookie = persistence.equals("active-cookie");
        engine = DispatchEngine.create(model(ruleCount, rules, cookie));
        expected = new String[REQUESTS];
        requests = requests(ruleCount, expected, cookie ? cookieHeader(engine) : "");
        checkRouting();
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    @Threads(1)
    public Decision dispatch(Cursor cursor) {
        return dispatchOne(requests[cursor.next()]);
    }

    @Benchmark
    @Threads(2)
    public Decision dispatchTwoThreads(Cursor cursor) {
        return dispatchOne(requests[cursor.next()]);
    }

    private Decision dispatchOne(HttpRequest request) {
        Decision d = engine.dispatch(VIRTUAL_SERVICE, request);
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
        return d;
    }

    /** The model with {@code ruleCount} literal path rules and no persistence. */
    static LoadBalancer model(int ruleCount) {
        return model(ruleCount, RuleMix.LITERAL, false);
    }

    static LoadBalancer model(int ruleCount, RuleMix mix, boolean cookie) {
        int fillers = fillers(ruleCount);
        List<RealServer> servers = servers();
        VirtualService.Builder vs = VirtualService.builder(VIRTUAL_SERVICE).listen("0.0.0.0:443")
                .protocol(Protocol.HTTPS).scheduling(SchedulingMethod.WEIGHTED_LEAST_CONNECTION);
        if (cookie) {
            vs.persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).shared(true)
                    .timeout(Duration.ofMinutes(45)).cookieSecret("benchmark-secret-0123456789").build());
        }
        for (int i = 1; i <= fillers; i++) {
            vs.subService(SubService.builder(filler(i))
                    .matchAny(mix.pathRule(i - 1, "/" + filler(i))).realServers(servers).build());
        }
        vs.subService(SubService.builder("owa")
                .match(ContentMatch.all(ContentRule.host(MatchType.EXACT, HOST), mix.pathRule(fillers, "/owa")))
                .realServers(servers).build());
        for (int k = 1; k < exchangeCount(ruleCount); k++) {
            vs.subService(SubService.builder(EXCHANGE[k][0]).matchAny(mix.pathRule(fillers + k, EXCHANGE[k][1]))
                    .realServers(servers).build());
        }
        vs.subService(SubService.builder("default").asDefault().realServers(servers).build());
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    private static int fillers(int ruleCount) {
        return Math.max(ruleCount - EXCHANGE.length, 0);
    }

    private static int exchangeCount(int ruleCount) {
        return Math.min(ruleCount, EXCHANGE.length);
    }

    /** The sub-service a request for Exchange sub-service {@code name} reaches with {@code ruleCount} rules. */
    private static String exchangeTarget(String name, int ruleCount) {
        for (int k = 0; k < exchangeCount(ruleCount); k++) {
            if (EXCHANGE[k][0].equals(name)) {
                return name;
            }
        }
        return "default";
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
    static HttpRequest[] requests(int ruleCount, String[] expected) {
        return requests(ruleCount, expected, "");
    }

    /** A Cookie header with a valid persistence cookie between two others, as a browser sends it. */
    static String cookieHeader(DispatchEngine engine) {
        Decision.Forward f = (Decision.Forward) engine.dispatch(VIRTUAL_SERVICE,
                HttpRequest.builder().scheme("https").authority(HOST).target("/owa/").build());
        String setCookie = f.onResponse(ResponseView.ofStatus(200)).stream()
                .filter(e -> e.name().equals("Set-Cookie")).findFirst().orElseThrow().value();
        f.release(OK);
        return "theme=dark; " + setCookie.substring(0, setCookie.indexOf(';')) + "; lang=en-GB";
    }

    static HttpRequest[] requests(int ruleCount, String[] expected, String cookieHeader) {
        int fillers = fillers(ruleCount);
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
                sub = exchangeTarget(p[1], ruleCount);
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
