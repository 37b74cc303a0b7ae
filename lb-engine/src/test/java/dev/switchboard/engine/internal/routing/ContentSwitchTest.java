package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.MatchType;
import dev.switchboard.engine.internal.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContentSwitchTest {

    private static final String HOST = "mail.example.com";

    private static ContentSwitch switchOf(ContentMatch... matches) {
        return switchOf(Arrays.asList(matches));
    }

    private static ContentSwitch switchOf(List<ContentMatch> matches) {
        List<CompiledMatch> compiled = matches.stream().map(CompiledMatch::compile).toList();
        return ContentSwitch.build(compiled, new boolean[matches.size()], names(matches.size()));
    }

    private static String[] names(int count) {
        return IntStream.range(0, count).mapToObj(i -> "sub" + i).toArray(String[]::new);
    }

    private static ContentMatch any(ContentRule... rules) {
        return ContentMatch.any(rules);
    }

    private static int select(ContentSwitch contentSwitch, String path) {
        return select(contentSwitch, HttpRequest.builder().target(path).authority(HOST).build());
    }

    private static int select(ContentSwitch contentSwitch, HttpRequest request) {
        return contentSwitch.select(request, request.rawPath(), HOST, request.sourceAddress(), Trace.OFF);
    }

    // --- first match wins, in configuration order ---

    @Test
    void select_indexedLiteralAfterMatchingRegex_regexSubServiceWins() {
        ContentSwitch cs = switchOf(any(ContentRule.path(MatchType.REGEX, "^/owa/.*\\.aspx$")),
                any(ContentRule.pathPrefix("/owa")));

        assertThat(select(cs, "/owa/a.aspx")).isEqualTo(0);
        assertThat(select(cs, "/owa/a.js")).isEqualTo(1);
        assertThat(select(cs, "/ews")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void select_indexedLiteralBeforeMatchingRegex_literalSubServiceWins() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa")),
                any(ContentRule.path(MatchType.REGEX, "owa")));

        assertThat(select(cs, "/owa/a.aspx")).isEqualTo(0);
        assertThat(select(cs, "/x/owa")).isEqualTo(1);
    }

    @Test
    void select_indexedLiteralAfterMatchingContainsRule_containsSubServiceWins() {
        ContentSwitch cs = switchOf(any(ContentRule.path(MatchType.CONTAINS, "/admin")),
                any(ContentRule.pathPrefix("/owa")), any(ContentRule.path(MatchType.CONTAINS, "/owa")));

        assertThat(select(cs, "/owa/admin")).isEqualTo(0);
        assertThat(select(cs, "/owa/mail")).isEqualTo(1);
        assertThat(select(cs, "/x/owa")).isEqualTo(2);
    }

    @Test
    void select_indexedLiteralAfterMatchingHeaderRule_headerSubServiceWinsOnlyWhenHeaderMatches() {
        ContentSwitch cs = switchOf(any(ContentRule.header("X-Canary", MatchType.EXACT, "1")),
                any(ContentRule.pathPrefix("/owa")));
        HttpRequest canary = HttpRequest.builder().target("/owa/x").authority(HOST).header("X-Canary", "1").build();
        HttpRequest plain = HttpRequest.builder().target("/owa/x").authority(HOST).build();

        assertThat(select(cs, canary)).isEqualTo(0);
        assertThat(select(cs, plain)).isEqualTo(1);
    }

    @Test
    void select_nonIndexedBetweenLiterals_keepsConfigurationOrder() {
        ContentSwitch cs = switchOf(any(ContentRule.path(MatchType.EXACT, "/owa/x")),
                any(ContentRule.path(MatchType.SUFFIX, "/x")),
                any(ContentRule.pathPrefix("/owa")));

        assertThat(select(cs, "/owa/x")).isEqualTo(0);
        assertThat(select(cs, "/owa/y/x")).isEqualTo(1);
        assertThat(select(cs, "/owa/y")).isEqualTo(2);
    }

    @Test
    void select_exactBeforePrefixOfSameLiteral_exactWinsOnlyForExactPath() {
        ContentSwitch cs = switchOf(any(ContentRule.path(MatchType.EXACT, "/owa")),
                any(ContentRule.pathPrefix("/owa")));

        assertThat(select(cs, "/owa")).isEqualTo(0);
        assertThat(select(cs, "/owa/")).isEqualTo(1);
        assertThat(select(cs, "/ow")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void select_prefixBeforeExactOfSameLiteral_prefixAlwaysWins() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa")),
                any(ContentRule.path(MatchType.EXACT, "/owa")));

        assertThat(select(cs, "/owa")).isEqualTo(0);
        assertThat(select(cs, "/owa/")).isEqualTo(0);
    }

    @Test
    void select_overlappingPrefixesShorterFirst_earlierWinsRegardlessOfLength() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa")),
                any(ContentRule.pathPrefix("/owa/service")));

        assertThat(select(cs, "/owa/service/x")).isEqualTo(0);
        assertThat(select(cs, "/owa/service")).isEqualTo(0);
        assertThat(select(cs, "/owa/x")).isEqualTo(0);
    }

    @Test
    void select_overlappingPrefixesLongerFirst_longerWinsWhereItMatches() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa/service")),
                any(ContentRule.pathPrefix("/owa")));

        assertThat(select(cs, "/owa/service/x")).isEqualTo(0);
        assertThat(select(cs, "/owa/servic")).isEqualTo(1);
        assertThat(select(cs, "/owa/x")).isEqualTo(1);
    }

    @Test
    void select_ignoreCaseLiterals_matchAnyAsciiCase() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa").ignoreCase()),
                any(ContentRule.path(MatchType.EXACT, "/EWS").ignoreCase()));

        assertThat(select(cs, "/OWA/x")).isEqualTo(0);
        assertThat(select(cs, "/oWa")).isEqualTo(0);
        assertThat(select(cs, "/ews")).isEqualTo(1);
        assertThat(select(cs, "/Ews")).isEqualTo(1);
        assertThat(select(cs, "/ews/")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void select_caseSensitiveLiterals_doNotMatchOtherCase() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa")),
                any(ContentRule.path(MatchType.EXACT, "/ews")));

        assertThat(select(cs, "/OWA/x")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/Owa")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/EWS")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/owa/x")).isEqualTo(0);
    }

    @Test
    void select_literalsInDifferentIndexes_lowestSubServiceWins() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/OWA")),
                any(ContentRule.pathPrefix("/owa").ignoreCase()),
                any(ContentRule.path(MatchType.EXACT, "/owa")),
                any(ContentRule.path(MatchType.EXACT, "/Owa/x").ignoreCase()));

        assertThat(select(cs, "/OWA/x")).isEqualTo(0);
        assertThat(select(cs, "/owa")).isEqualTo(1);
        assertThat(select(cs, "/owa/x")).isEqualTo(1);

        ContentSwitch reversed = switchOf(any(ContentRule.path(MatchType.EXACT, "/Owa/x").ignoreCase()),
                any(ContentRule.path(MatchType.EXACT, "/owa")),
                any(ContentRule.pathPrefix("/owa").ignoreCase()),
                any(ContentRule.pathPrefix("/OWA")));

        assertThat(select(reversed, "/OWA/X")).isEqualTo(0);
        assertThat(select(reversed, "/owa")).isEqualTo(1);
        assertThat(select(reversed, "/OWA/y")).isEqualTo(2);
    }

    @Test
    void select_anyOfSeveralLiterals_matchesOnEachAndKeepsOrder() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/a"), ContentRule.path(MatchType.EXACT, "/b")),
                any(ContentRule.pathPrefix("/b")));

        assertThat(select(cs, "/a/x")).isEqualTo(0);
        assertThat(select(cs, "/b")).isEqualTo(0);
        assertThat(select(cs, "/b/x")).isEqualTo(1);
    }

    @Test
    void select_prefixLongerThanPath_doesNotMatch() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa/service")),
                any(ContentRule.path(MatchType.EXACT, "/owa/service/x")));

        assertThat(select(cs, "/owa")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/owa/servic")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/owa/service")).isEqualTo(0);
    }

    @Test
    void select_rootPrefix_matchesEveryPath() {
        ContentSwitch cs = switchOf(any(ContentRule.path(MatchType.EXACT, "/x")), any(ContentRule.pathPrefix("/")));

        assertThat(select(cs, "/")).isEqualTo(1);
        assertThat(select(cs, "/x")).isEqualTo(0);
        assertThat(select(cs, "/anything/else")).isEqualTo(1);
    }

    @Test
    void select_nothingMatches_returnsNoMatch() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/owa")),
                any(ContentRule.path(MatchType.REGEX, "^/ews/")),
                any(ContentRule.header("X-A", MatchType.EXACT, "1")));

        assertThat(select(cs, "/ecp")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(switchOf(), "/owa")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void select_defaultWithoutRules_isNotAMatch() {
        List<CompiledMatch> matches = List.of(CompiledMatch.compile(any(ContentRule.pathPrefix("/owa"))),
                CompiledMatch.compile(ContentMatch.ALWAYS));
        ContentSwitch cs = ContentSwitch.build(matches, new boolean[] {false, true}, names(2));

        assertThat(select(cs, "/owa")).isEqualTo(0);
        assertThat(select(cs, "/other")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(cs.linearCount()).isZero();
    }

    @Test
    void select_defaultWithRules_takesPartThroughItsRules() {
        List<CompiledMatch> matches = List.of(CompiledMatch.compile(any(ContentRule.pathPrefix("/d"))),
                CompiledMatch.compile(any(ContentRule.pathPrefix("/owa"))));
        ContentSwitch cs = ContentSwitch.build(matches, new boolean[] {true, false}, names(2));

        assertThat(select(cs, "/d/x")).isEqualTo(0);
        assertThat(select(cs, "/owa")).isEqualTo(1);
        assertThat(select(cs, "/x")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void select_allOfTwoRules_matchesOnlyWhenBothHold() {
        ContentSwitch cs = switchOf(
                ContentMatch.all(ContentRule.pathPrefix("/api"), ContentRule.header("X-Version", MatchType.EXACT, "2")),
                any(ContentRule.pathPrefix("/api")));
        HttpRequest v2 = HttpRequest.builder().target("/api/x").authority(HOST).header("X-Version", "2").build();
        HttpRequest v1 = HttpRequest.builder().target("/api/x").authority(HOST).header("X-Version", "1").build();

        assertThat(select(cs, v2)).isEqualTo(0);
        assertThat(select(cs, v1)).isEqualTo(1);
    }

    @Test
    void select_negatedLiteral_matchesEverythingElse() {
        ContentSwitch cs = switchOf(any(ContentRule.pathPrefix("/admin").negate()),
                any(ContentRule.pathPrefix("/admin")));

        assertThat(select(cs, "/x")).isEqualTo(0);
        assertThat(select(cs, "/admin/x")).isEqualTo(1);
    }

    // --- indexing ---

    @Test
    void linearCount_thousandLiteralPrefixes_areAllIndexedAndEachSelectedForItsOwnPath() {
        List<ContentMatch> matches = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            matches.add(any(ContentRule.pathPrefix("/svc/" + i + "/")));
        }
        ContentSwitch cs = switchOf(matches);

        assertThat(cs.linearCount()).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(select(cs, "/svc/" + i + "/x")).as("/svc/%d/x", i).isEqualTo(i);
            assertThat(select(cs, "/svc/" + i + "/")).as("/svc/%d/", i).isEqualTo(i);
        }
        assertThat(select(cs, "/svc/1000/x")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/svc/1")).isEqualTo(ContentSwitch.NO_MATCH);
    }

    @Test
    void linearCount_thousandMixedLiterals_areAllIndexedAndFirstMatchWins() {
        List<ContentMatch> matches = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ContentRule rule = switch (i % 4) {
                case 0 -> ContentRule.pathPrefix("/p" + i);
                case 1 -> ContentRule.pathPrefix("/P" + i).ignoreCase();
                case 2 -> ContentRule.path(MatchType.EXACT, "/e" + i);
                default -> ContentRule.path(MatchType.EXACT, "/E" + i).ignoreCase();
            };
            matches.add(i % 5 == 0 ? ContentMatch.all(rule) : any(rule));
        }
        ContentSwitch cs = switchOf(matches);

        assertThat(cs.linearCount()).isZero();
        assertThat(select(cs, "/p8/x")).isEqualTo(8);
        assertThat(select(cs, "/p80")).isEqualTo(8); // "/p8" comes before "/p80" and is a prefix of it
        assertThat(select(cs, "/P8/x")).isEqualTo(ContentSwitch.NO_MATCH); // "/p8" is case-sensitive
        assertThat(select(cs, "/p1x")).isEqualTo(1); // "/P1" ignores case
        assertThat(select(cs, "/P13/x")).isEqualTo(1); // "/P1" before "/P13"
        assertThat(select(cs, "/e2")).isEqualTo(2);
        assertThat(select(cs, "/E2")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/e2/")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/e3")).isEqualTo(3);
        assertThat(select(cs, "/e998")).isEqualTo(998);
        assertThat(select(cs, "/E998")).isEqualTo(ContentSwitch.NO_MATCH);
        assertThat(select(cs, "/e999")).isEqualTo(999);
        assertThat(select(cs, "/E999")).isEqualTo(999);
    }

    @Test
    void linearCount_rulesThatAreNotPositivePlainPathLiterals_areTriedInOrder() {
        ContentSwitch cs = switchOf(
                ContentMatch.all(ContentRule.pathPrefix("/a"), ContentRule.pathPrefix("/a/b")),
                any(ContentRule.pathPrefix("/admin").negate()),
                any(ContentRule.path(MatchType.REGEX, "^/r")),
                any(ContentRule.path(MatchType.SUFFIX, ".js")),
                any(ContentRule.path(MatchType.CONTAINS, "/c/")),
                any(ContentRule.pathPrefix("/q?x=1").includeQuery()),
                any(ContentRule.pathPrefix("mail.example.com/h").includeHost()),
                any(ContentRule.header("X-A", MatchType.EXACT, "1")),
                any(ContentRule.host(MatchType.EXACT, HOST)),
                any(ContentRule.pathPrefix("/m"), ContentRule.path(MatchType.REGEX, "^/n")));

        assertThat(cs.linearCount()).isEqualTo(10);
    }

    @Test
    void linearCount_allOfTwoLiteralsOrANegatedLiteral_isNotIndexed() {
        assertThat(switchOf(ContentMatch.all(ContentRule.pathPrefix("/a"), ContentRule.pathPrefix("/a/b")))
                .linearCount()).isEqualTo(1);
        assertThat(switchOf(any(ContentRule.pathPrefix("/a").negate())).linearCount()).isEqualTo(1);
        assertThat(switchOf(ContentMatch.all(ContentRule.pathPrefix("/a").negate())).linearCount()).isEqualTo(1);
        assertThat(switchOf(ContentMatch.all(ContentRule.pathPrefix("/a"))).linearCount()).isZero();
        assertThat(switchOf(any(ContentRule.pathPrefix("/a"), ContentRule.path(MatchType.EXACT, "/b").ignoreCase()))
                .linearCount()).isZero();
    }

    @Test
    void select_allOfTwoLiterals_requiresBoth() {
        ContentSwitch cs = switchOf(ContentMatch.all(ContentRule.pathPrefix("/a"), ContentRule.pathPrefix("/a/b")),
                any(ContentRule.pathPrefix("/a")));

        assertThat(select(cs, "/a/b/c")).isEqualTo(0);
        assertThat(select(cs, "/a/c")).isEqualTo(1);
    }

    // --- randomized equivalence with the naive first-match scan ---

    private static final String[] SEGMENTS = {"a", "b", "ab", "A", "owa", "OWA", "x1", "a.js"};

    private static String segment(SplittableRandom rnd) {
        return SEGMENTS[rnd.nextInt(SEGMENTS.length)];
    }

    private static String randomPath(SplittableRandom rnd, int maxSegments) {
        int n = rnd.nextInt(maxSegments + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append('/').append(segment(rnd));
        }
        if (n == 0 || rnd.nextInt(4) == 0) {
            b.append('/');
        }
        return b.toString();
    }

    private static ContentRule randomRule(SplittableRandom rnd) {
        ContentRule rule = switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> ContentRule.pathPrefix(randomPath(rnd, 2));
            case 3, 4 -> ContentRule.path(MatchType.EXACT, randomPath(rnd, 3));
            case 5, 6 -> ContentRule.path(MatchType.REGEX, switch (rnd.nextInt(3)) {
                case 0 -> "^/" + segment(rnd) + "(/|$)";
                case 1 -> segment(rnd) + "$";
                default -> "/" + segment(rnd) + "/" + segment(rnd);
            });
            case 7, 8 -> ContentRule.path(MatchType.SUFFIX, (rnd.nextBoolean() ? "/" : "") + segment(rnd));
            case 9 -> ContentRule.path(MatchType.CONTAINS, "/" + segment(rnd) + "/");
            case 10 -> ContentRule.pathPrefix("/" + segment(rnd)).negate();
            default -> ContentRule.header("X-R", MatchType.EXACT, segment(rnd));
        };
        return rnd.nextInt(3) == 0 ? rule.ignoreCase() : rule;
    }

    private static ContentRule randomLiteral(SplittableRandom rnd) {
        ContentRule rule = rnd.nextBoolean() ? ContentRule.pathPrefix(randomPath(rnd, 2))
                : ContentRule.path(MatchType.EXACT, randomPath(rnd, 3));
        return rnd.nextInt(3) == 0 ? rule.ignoreCase() : rule;
    }

    /** A match of 1..3 rules: half of them positive path literals only (what the index takes), half mixed. */
    private static ContentMatch randomMatch(SplittableRandom rnd) {
        boolean literalOnly = rnd.nextBoolean();
        ContentRule[] rules = new ContentRule[1 + rnd.nextInt(3)];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = literalOnly ? randomLiteral(rnd) : randomRule(rnd);
        }
        return rnd.nextInt(5) == 0 ? ContentMatch.all(rules) : ContentMatch.any(rules);
    }

    private static boolean isLiteralOnly(ContentMatch match) {
        boolean literals = match.rules().stream().allMatch(r -> r.target() == MatchTarget.PATH
                && (r.type() == MatchType.EXACT || r.type() == MatchType.PREFIX) && !r.isNegate());
        return literals && (match.mode() == ContentMatch.Mode.ANY || match.rules().size() == 1);
    }

    private static int naiveSelect(List<CompiledMatch> matches, HttpRequest request) {
        for (int i = 0; i < matches.size(); i++) {
            if (matches.get(i).matches(request, request.rawPath(), HOST, request.sourceAddress(), Trace.OFF)) {
                return i;
            }
        }
        return ContentSwitch.NO_MATCH;
    }

    @Test
    void select_randomRuleSets_agreesWithNaiveFirstMatchScan() {
        SplittableRandom rnd = new SplittableRandom(0x5B_2024_0601L);
        int noMatch = 0;
        int literalWins = 0;
        int literalWinsAfterLinear = 0;
        int linearWinsBeforeLiteral = 0;
        for (int set = 0; set < 200; set++) {
            int size = 1 + rnd.nextInt(40);
            List<ContentMatch> model = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                model.add(randomMatch(rnd));
            }
            List<CompiledMatch> compiled = model.stream().map(CompiledMatch::compile).toList();
            ContentSwitch cs = ContentSwitch.build(compiled, new boolean[size], names(size));
            assertThat(cs.linearCount()).isEqualTo((int) model.stream().filter(m -> !isLiteralOnly(m)).count());
            for (int p = 0; p < 200; p++) {
                HttpRequest.Builder b = HttpRequest.builder().target(randomPath(rnd, 4)).authority(HOST);
                if (rnd.nextBoolean()) {
                    b.header("X-R", segment(rnd));
                }
                HttpRequest request = b.build();

                int expected = naiveSelect(compiled, request);
                int actual = select(cs, request);

                assertThat(actual).as("set %d, path %s, header %s, rules %s", set, request.rawPath(),
                        request.header("X-R"), model).isEqualTo(expected);
                if (expected == ContentSwitch.NO_MATCH) {
                    noMatch++;
                    continue;
                }
                boolean linearBefore = model.subList(0, expected).stream().anyMatch(m -> !isLiteralOnly(m));
                if (isLiteralOnly(model.get(expected))) {
                    literalWins++;
                    literalWinsAfterLinear += linearBefore ? 1 : 0;
                } else {
                    boolean literalLater = IntStream.range(expected + 1, size).anyMatch(i -> isLiteralOnly(model.get(i))
                            && compiled.get(i).matches(request, request.rawPath(), HOST, request.sourceAddress(), Trace.OFF));
                    linearWinsBeforeLiteral += literalLater ? 1 : 0;
                }
            }
        }
        // the generator must reach every case the index has to get right, or agreement proves little
        assertThat(noMatch).as("no match").isGreaterThan(1_000);
        assertThat(literalWins).as("an indexed sub-service wins").isGreaterThan(1_000);
        assertThat(literalWinsAfterLinear).as("it wins after non-matching linear ones").isGreaterThan(500);
        assertThat(linearWinsBeforeLiteral).as("a linear one wins over a later matching literal").isGreaterThan(500);
    }
}
