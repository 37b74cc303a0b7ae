package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.MatchType;
import dev.switchboard.engine.internal.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The prefix filter of {@link ContentSwitch} changes no decision: seeded random rule sets (literal and regex path
 * rules, anchored or not, any case mode, negated, with the query or the host, host and query rules, any-of and
 * all-of) and random paths built from their prefixes (case flipped, cut short, extended, with non-ASCII letters
 * that fold into ASCII ones: the Kelvin sign, the long s) select the same sub-service with and without it.
 */
class PathPrefixFilterTest {

    private static final String HOST = "mail.example.com";
    /** Letters for literals: ASCII in both cases, digits, separators, and non-ASCII ones that fold to ASCII. */
    private static final String[] PIECES = {"a", "b", "k", "s", "A", "K", "S", "0", "7", "-", "/", ".",
        "\u212A", "\u017F", "\u00e9", "\u00c9"};
    private static final String[] REGEX_TAILS = {"", "(/|$)", "[0-9]*", "x?", "/.*\\.aspx$", "$", "s*", "\\.",
        "(a|b)", ".+"};

    @Test
    void select_randomRulesAndPaths_sameAsWithoutTheFilter() {
        SplittableRandom random = new SplittableRandom(0x5EED_0300L);
        long compared = 0;
        long filteredMatches = 0;
        for (int set = 0; set < 300; set++) {
            int count = 1 + random.nextInt(60);
            List<String> literals = new ArrayList<>();
            List<ContentMatch> matches = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                matches.add(match(random, literals));
            }
            List<CompiledMatch> compiled = matches.stream().map(CompiledMatch::compile).toList();
            String[] names = IntStream.range(0, count).mapToObj(i -> "sub" + i).toArray(String[]::new);
            ContentSwitch filtered = ContentSwitch.build(compiled, new boolean[count], names, 1);
            ContentSwitch plain = ContentSwitch.build(compiled, new boolean[count], names, Integer.MAX_VALUE);
            ContentSwitch standard = ContentSwitch.build(compiled, new boolean[count], names);
            for (int p = 0; p < 200; p++) {
                HttpRequest request = request(path(random, literals), random);
                int expected = select(plain, request);
                assertThat(select(filtered, request)).as("set %d, %s, rules %s", set, request, matches)
                        .isEqualTo(expected);
                assertThat(select(standard, request)).isEqualTo(expected);
                compared++;
                if (expected != ContentSwitch.NO_MATCH) {
                    filteredMatches++;
                }
            }
        }
        assertThat(compared).isEqualTo(60_000);
        assertThat(filteredMatches).as("the generated paths match often enough to mean something")
                .isGreaterThan(10_000);
    }

    @Test
    void next_walksTheCandidatesInOrder_caseFolded_unfilteredAlways() {
        PathPrefixFilter filter = PathPrefixFilter.of(List.of(List.of("/api"), List.of(), List.of("/API/v1"),
                List.of("/static", "/assets")));

        assertThat(filter.next("/api/v1/x", -1)).isZero();
        assertThat(filter.next("/api/v1/x", 0)).isEqualTo(1);
        assertThat(filter.next("/api/v1/x", 1)).isEqualTo(2);
        assertThat(filter.next("/api/v1/x", 2)).isEqualTo(PathPrefixFilter.NONE);
        assertThat(filter.next("/Assets/a.css", 1)).isEqualTo(3);
        assertThat(filter.next("/ap", -1)).isEqualTo(1);
        assertThat(filter.covers("/api")).isTrue();
        assertThat(filter.covers("/\u212Api")).as("the Kelvin sign within the longest prefix").isFalse();
        assertThat(filter.covers("/static/\u00e9")).as("non-ASCII past the longest prefix").isTrue();
        assertThat(PathPrefixFilter.of(List.of(List.of())).covers("/api")).as("nothing to filter").isFalse();
    }

    @Test
    void select_traceOn_sameDecisionEverySubServiceShown() {
        ContentSwitch cs = ContentSwitch.build(List.of(
                CompiledMatch.compile(ContentMatch.any(ContentRule.path(MatchType.REGEX, "^/api/v[0-9]+/"))),
                CompiledMatch.compile(ContentMatch.any(ContentRule.path(MatchType.REGEX, "^/static/.*\\.js$")))),
                new boolean[2], new String[] {"api", "static"}, 1);
        HttpRequest request = HttpRequest.builder().target("/static/app.js").authority(HOST).build();

        assertThat(cs.select(request, request.rawPath(), HOST, request.sourceAddress(), Trace.OFF)).isEqualTo(1);
        Trace trace = Trace.recording();
        assertThat(cs.select(request, request.rawPath(), HOST, request.sourceAddress(), trace)).isEqualTo(1);
        assertThat(trace.steps()).as("a trace shows every sub-service tried, as before the filter")
                .contains("trying sub-service 'api'", "trying sub-service 'static'");
    }

    private static int select(ContentSwitch cs, HttpRequest request) {
        return cs.select(request, request.rawPath(), HOST, request.sourceAddress(), Trace.OFF);
    }

    private static ContentMatch match(SplittableRandom random, List<String> literals) {
        int rules = 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 1);
        ContentRule[] out = new ContentRule[rules];
        for (int r = 0; r < rules; r++) {
            out[r] = rule(random, literals);
        }
        return random.nextBoolean() ? ContentMatch.any(out) : ContentMatch.all(out);
    }

    private static ContentRule rule(SplittableRandom random, List<String> literals) {
        String literal = "/" + literal(random, 1 + random.nextInt(6));
        literals.add(literal);
        int kind = random.nextInt(20);
        ContentRule rule;
        if (kind < 4) {
            rule = ContentRule.pathPrefix(literal);
        } else if (kind < 6) {
            rule = ContentRule.path(MatchType.EXACT, literal);
        } else if (kind < 15) {
            String anchor = random.nextInt(5) == 0 ? "" : "^";
            String regex = anchor + literal.replace(".", "\\.") + REGEX_TAILS[random.nextInt(REGEX_TAILS.length)];
            rule = ContentRule.path(MatchType.REGEX, random.nextInt(8) == 0 ? regex + "|^/b" : regex);
        } else if (kind < 17) {
            rule = ContentRule.path(random.nextBoolean() ? MatchType.SUFFIX : MatchType.CONTAINS, literal);
        } else if (kind < 18) {
            rule = ContentRule.host(MatchType.EXACT, random.nextBoolean() ? HOST : "other.example.com");
        } else {
            rule = ContentRule.query(MatchType.CONTAINS, random.nextBoolean() ? "a" : "zz");
        }
        if (random.nextBoolean()) {
            rule = rule.ignoreCase();
        }
        if (random.nextInt(10) == 0) {
            rule = rule.negate();
        }
        if (rule.target() == dev.switchboard.api.MatchTarget.PATH && random.nextInt(8) == 0) {
            rule = random.nextBoolean() ? rule.includeQuery() : rule.includeHost();
        }
        return rule;
    }

    private static String literal(SplittableRandom random, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            b.append(PIECES[random.nextInt(random.nextInt(4) == 0 ? PIECES.length : 10)]);
        }
        return b.toString();
    }

    /** A rule's literal, case flipped, cut short or extended; or a random path. */
    private static String path(SplittableRandom random, List<String> literals) {
        if (random.nextInt(10) == 0) {
            return "/" + literal(random, random.nextInt(8));
        }
        StringBuilder b = new StringBuilder(literals.get(random.nextInt(literals.size())));
        for (int i = 1; i < b.length(); i++) {
            int roll = random.nextInt(12);
            char c = b.charAt(i);
            if (roll == 0) {
                b.setCharAt(i, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
            } else if (roll == 1 && (c == 'k' || c == 'K')) {
                b.setCharAt(i, '\u212A');
            } else if (roll == 2 && (c == 's' || c == 'S')) {
                b.setCharAt(i, '\u017F');
            }
        }
        if (random.nextInt(6) == 0) {
            b.setLength(random.nextInt(b.length() + 1));
        }
        if (random.nextBoolean()) {
            b.append(random.nextBoolean() ? "/" : "").append(literal(random, random.nextInt(4)));
        }
        return b.length() == 0 || b.charAt(0) != '/' ? "/" + b : b.toString();
    }

    private static HttpRequest request(String path, SplittableRandom random) {
        String target = random.nextInt(4) == 0 ? path + "?a=" + random.nextInt(10) : path;
        return HttpRequest.builder().target(target).authority(HOST).build();
    }
}
