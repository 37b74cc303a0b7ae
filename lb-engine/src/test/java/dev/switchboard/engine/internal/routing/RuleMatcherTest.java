package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.MatchType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleMatcherTest {

    private static final String HOST = "mail.example.com";

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(literal, e);
        }
    }

    /** Matches {@code rule} against a request for {@code target} ({@code path?query}) on {@link #HOST}. */
    private static boolean matchesTarget(ContentRule rule, String target) {
        HttpRequest request = HttpRequest.builder().target(target).authority(HOST).build();
        return RuleMatcher.compile(rule).matches(request, request.rawPath(), HOST, request.sourceAddress());
    }

    private static boolean matchesHost(ContentRule rule, String host) {
        HttpRequest request = HttpRequest.builder().target("/").authority(host).build();
        return RuleMatcher.compile(rule).matches(request, "/", host, request.sourceAddress());
    }

    private static boolean matchesRequest(ContentRule rule, HttpRequest request) {
        return RuleMatcher.compile(rule).matches(request, request.rawPath(), HOST, request.sourceAddress());
    }

    // --- path: every type, case-sensitive, and negated ---

    static Stream<Arguments> caseSensitivePathRows() {
        return Stream.of(
                Arguments.of(MatchType.EXACT, "/owa", "/owa", true),
                Arguments.of(MatchType.EXACT, "/owa", "/owa/", false),
                Arguments.of(MatchType.EXACT, "/owa", "/ow", false),
                Arguments.of(MatchType.EXACT, "/owa", "/OWA", false),
                Arguments.of(MatchType.PREFIX, "/owa", "/owa", true),
                Arguments.of(MatchType.PREFIX, "/owa", "/owa/service", true),
                Arguments.of(MatchType.PREFIX, "/owa", "/owax", true),
                Arguments.of(MatchType.PREFIX, "/owa/service", "/owa", false),
                Arguments.of(MatchType.PREFIX, "/owa", "/x/owa", false),
                Arguments.of(MatchType.PREFIX, "/owa", "/OWA/x", false),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/owa/a.aspx", true),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/a", false),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/a.aspx/b", false),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/owa/a.ASPX", false),
                Arguments.of(MatchType.CONTAINS, "/ews/", "/a/ews/b", true),
                Arguments.of(MatchType.CONTAINS, "/ews/", "/ews/", true),
                Arguments.of(MatchType.CONTAINS, "/ews/", "/a/ews", false),
                Arguments.of(MatchType.CONTAINS, "/ews/", "/a/EWS/b", false),
                Arguments.of(MatchType.REGEX, "^/owa/[0-9]+$", "/owa/42", true),
                Arguments.of(MatchType.REGEX, "^/owa/[0-9]+$", "/owa/4x", false),
                Arguments.of(MatchType.REGEX, "owa", "/x/owa/y", true),
                Arguments.of(MatchType.REGEX, "^owa", "/owa", false),
                Arguments.of(MatchType.REGEX, "^/OWA", "/owa", false));
    }

    @ParameterizedTest
    @MethodSource("caseSensitivePathRows")
    void matches_pathRule_comparesNormalizedPathCaseSensitively(MatchType type, String value, String path,
            boolean expected) {
        assertThat(matchesTarget(ContentRule.path(type, value), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("caseSensitivePathRows")
    void matches_negatedPathRule_invertsResult(MatchType type, String value, String path, boolean expected) {
        assertThat(matchesTarget(ContentRule.path(type, value).negate(), path)).isEqualTo(!expected);
    }

    static Stream<Arguments> ignoreCasePathRows() {
        return Stream.of(
                Arguments.of(MatchType.EXACT, "/OWA", "/owa", true),
                Arguments.of(MatchType.EXACT, "/owa", "/OwA", true),
                Arguments.of(MatchType.EXACT, "/owa", "/owb", false),
                Arguments.of(MatchType.PREFIX, "/Owa", "/oWA/x", true),
                Arguments.of(MatchType.PREFIX, "/owa/SERVICE", "/OWA", false),
                Arguments.of(MatchType.SUFFIX, ".ASPX", "/a.aspx", true),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/A.AsPx", true),
                Arguments.of(MatchType.SUFFIX, ".aspx", "/a.asp", false),
                Arguments.of(MatchType.CONTAINS, "EWS", "/a/ews/b", true),
                Arguments.of(MatchType.CONTAINS, "ews", "/A/EwS", true),
                Arguments.of(MatchType.CONTAINS, "EWS", "/a/ew", false),
                Arguments.of(MatchType.REGEX, "^/owa$", "/OWA", true),
                Arguments.of(MatchType.REGEX, "^/[A-Z]+$", "/owa", true),
                Arguments.of(MatchType.REGEX, "^/owa$", "/OWA/", false));
    }

    @ParameterizedTest
    @MethodSource("ignoreCasePathRows")
    void matches_ignoreCasePathRule_ignoresAsciiCase(MatchType type, String value, String path, boolean expected) {
        assertThat(matchesTarget(ContentRule.path(type, value).ignoreCase(), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("ignoreCasePathRows")
    void matches_negatedIgnoreCasePathRule_invertsResult(MatchType type, String value, String path,
            boolean expected) {
        assertThat(matchesTarget(ContentRule.path(type, value).ignoreCase().negate(), path)).isEqualTo(!expected);
    }

    @Test
    void matches_pathRule_doesNotSeeTheQueryWithoutIncludeQuery() {
        assertThat(matchesTarget(ContentRule.path(MatchType.EXACT, "/owa/"), "/owa/?ae=Item")).isTrue();
        assertThat(matchesTarget(ContentRule.path(MatchType.CONTAINS, "ae="), "/owa/?ae=Item")).isFalse();
        assertThat(matchesTarget(ContentRule.path(MatchType.SUFFIX, "Item"), "/owa/?ae=Item")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "EXACT, /owa/?ae=Item, /owa/?ae=Item, true",
        "EXACT, /owa/?ae=Item, /owa/, false",
        "EXACT, /owa/, /owa/, true",
        "EXACT, /owa/, /owa/?ae=Item, false",
        "PREFIX, /owa/?ae=, /owa/?ae=Item, true",
        "SUFFIX, =Item, /owa/?ae=Item, true",
        "SUFFIX, /owa/, /owa/?ae=Item, false",
        "CONTAINS, /?ae, /owa/?ae=Item, true",
        "REGEX, '\\?ae=Item$', /owa/?ae=Item, true",
        "REGEX, '\\?', /owa/, false",
    })
    void matches_pathRuleIncludingQuery_seesPathQuestionMarkQuery(MatchType type, String value, String target,
            boolean expected) {
        assertThat(matchesTarget(ContentRule.path(type, value).includeQuery(), target)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "EXACT, mail.example.com/owa, mail.example.com, /owa, true",
        "EXACT, mail.example.com/owa, www.example.com, /owa, false",
        "PREFIX, mail.example.com/owa, mail.example.com, /owa/x, true",
        "PREFIX, mail.example.com/owa, mail.example.org, /owa/x, false",
        "PREFIX, mail.example.com/owa, '', /owa, false",
        "PREFIX, /owa, '', /owa, true",
        "SUFFIX, .com/owa, mail.example.com, /owa, true",
        "CONTAINS, example.com/o, mail.example.com, /owa, true",
        "REGEX, '^[a-z]+\\.example\\.com/owa$', mail.example.com, /owa, true",
        "REGEX, '^/owa', mail.example.com, /owa, false",
    })
    void matches_pathRuleIncludingHost_seesHostThenPath(MatchType type, String value, String host, String path,
            boolean expected) {
        HttpRequest request = HttpRequest.builder().target(path).authority(host).build();

        boolean matched = RuleMatcher.compile(ContentRule.path(type, value).includeHost())
                .matches(request, path, host, request.sourceAddress());

        assertThat(matched).isEqualTo(expected);
    }

    @Test
    void matches_pathRuleIncludingHostAndQuery_seesHostPathAndQuery() {
        ContentRule rule = ContentRule.path(MatchType.EXACT, "mail.example.com/owa/?ae=Item").includeHost()
                .includeQuery();

        assertThat(matchesTarget(rule, "/owa/?ae=Item")).isTrue();
        assertThat(matchesTarget(rule, "/owa/?ae=Other")).isFalse();
        assertThat(matchesTarget(rule, "/owa/")).isFalse();
    }

    @Test
    void matches_pathRule_usesTheGivenNormalizedPathNotTheRawPath() {
        HttpRequest request = HttpRequest.builder().target("/owa/../ecp").authority(HOST).build();
        RuleMatcher ecp = RuleMatcher.compile(ContentRule.pathPrefix("/ecp"));

        assertThat(ecp.matches(request, "/ecp", HOST, request.sourceAddress())).isTrue();
        assertThat(RuleMatcher.compile(ContentRule.pathPrefix("/owa")).matches(request, "/ecp", HOST, request.sourceAddress())).isFalse();
    }

    // --- host: always case-insensitive ---

    @ParameterizedTest
    @CsvSource({
        "EXACT, Mail.Example.COM, mail.example.com, true",
        "EXACT, mail.example.com., mail.example.com, true",
        "EXACT, MAIL.EXAMPLE.COM., mail.example.com, true",
        "EXACT, mail.example.com, www.example.com, false",
        "EXACT, mail.example.com, mail.example.com.evil, false",
        "EXACT, example.com, mail.example.com, false",
        "PREFIX, MAIL., mail.example.com, true",
        "PREFIX, www., wwwx.example.com, false",
        "PREFIX, mail.example.com.evil, mail.example.com, false",
        "SUFFIX, .Example.COM, mail.example.com, true",
        "SUFFIX, .example.com, example.com, false",
        "SUFFIX, .example.com, mail.example.org, false",
        "CONTAINS, EXAMPLE, mail.example.com, true",
        "CONTAINS, example.org, mail.example.com, false",
        "REGEX, '^mail\\.example\\.(com|org)$', mail.example.org, true",
        "REGEX, '^MAIL\\.', mail.example.com, true",
        "REGEX, '^www\\.', mail.example.com, false",
    })
    void matches_hostRule_comparesIgnoringCase(MatchType type, String value, String host, boolean expected) {
        assertThat(matchesHost(ContentRule.host(type, value), host)).isEqualTo(expected);
        assertThat(matchesHost(ContentRule.host(type, value).negate(), host)).isEqualTo(!expected);
    }

    @ParameterizedTest
    @EnumSource(MatchType.class)
    void matches_hostRuleBuiltWithoutIgnoreCaseFlag_stillIgnoresCase(MatchType type) {
        String value = switch (type) {
            case EXACT -> "MAIL.Example.Com";
            case PREFIX -> "MAIL.";
            case SUFFIX -> ".COM";
            case CONTAINS -> "EXAMPLE";
            case REGEX -> "^MAIL\\.EXAMPLE";
        };
        ContentRule rule = ContentRule.of(MatchTarget.HOST, "", type, value);

        assertThat(rule.isIgnoreCase()).isFalse();
        assertThat(matchesHost(rule, HOST)).isTrue();
    }

    @Test
    void matches_hostRuleOnAbsentHost_matchesOnlyWhenNegated() {
        assertThat(matchesHost(ContentRule.host(MatchType.EXACT, HOST), "")).isFalse();
        assertThat(matchesHost(ContentRule.host(MatchType.EXACT, HOST).negate(), "")).isTrue();
        assertThat(matchesHost(ContentRule.host(MatchType.EXACT, ""), "")).isTrue();
    }

    // --- header ---

    static Stream<Arguments> headerRows() {
        return Stream.of(
                Arguments.of(MatchType.EXACT, "gzip", false, "gzip", true),
                Arguments.of(MatchType.EXACT, "gzip", false, "GZIP", false),
                Arguments.of(MatchType.EXACT, "gzip", true, "GZIP", true),
                Arguments.of(MatchType.EXACT, "", false, "", true),
                Arguments.of(MatchType.PREFIX, "Bearer ", false, "Bearer abc", true),
                Arguments.of(MatchType.PREFIX, "Bearer ", false, "bearer abc", false),
                Arguments.of(MatchType.PREFIX, "Bearer ", true, "BEARER abc", true),
                Arguments.of(MatchType.PREFIX, "Bearer abcdef", false, "Bearer", false),
                Arguments.of(MatchType.SUFFIX, "16.0", false, "Outlook 16.0", true),
                Arguments.of(MatchType.SUFFIX, "16.0", false, "Outlook 16.0.1", false),
                Arguments.of(MatchType.SUFFIX, "OUTLOOK", true, "ms outlook", true),
                Arguments.of(MatchType.CONTAINS, "Outlook", false, "Microsoft Outlook 16", true),
                Arguments.of(MatchType.CONTAINS, "Outlook", false, "Microsoft OUTLOOK 16", false),
                Arguments.of(MatchType.CONTAINS, "Outlook", true, "Microsoft OUTLOOK 16", true),
                Arguments.of(MatchType.CONTAINS, "Outlook", false, "", false),
                Arguments.of(MatchType.REGEX, "^Mozilla/[45]\\.0", false, "Mozilla/5.0 (X11)", true),
                Arguments.of(MatchType.REGEX, "^Mozilla/[45]\\.0", false, "mozilla/5.0", false),
                Arguments.of(MatchType.REGEX, "^Mozilla/[45]\\.0", true, "mozilla/5.0", true),
                Arguments.of(MatchType.REGEX, "^$", false, "", true));
    }

    @ParameterizedTest
    @MethodSource("headerRows")
    void matches_headerRule_comparesHeaderValue(MatchType type, String value, boolean ignoreCase, String header,
            boolean expected) {
        ContentRule rule = ContentRule.header("User-Agent", type, value);
        rule = ignoreCase ? rule.ignoreCase() : rule;
        HttpRequest request = HttpRequest.builder().target("/").header("User-Agent", header).build();

        assertThat(matchesRequest(rule, request)).isEqualTo(expected);
        assertThat(matchesRequest(rule.negate(), request)).isEqualTo(!expected);
    }

    @Test
    void matches_headerRule_looksUpTheNamedHeaderOnly() {
        ContentRule rule = ContentRule.header("X-Env", MatchType.EXACT, "prod");
        HttpRequest request = HttpRequest.builder().target("/").header("x-env", "prod").header("X-Other", "test")
                .build();
        HttpRequest other = HttpRequest.builder().target("/").header("X-Other", "prod").build();

        assertThat(matchesRequest(rule, request)).isTrue();
        assertThat(matchesRequest(rule, other)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "EXACT, ''",
        "PREFIX, a",
        "SUFFIX, a",
        "CONTAINS, a",
        "REGEX, ''",
        "REGEX, '.*'",
        "REGEX, '^$'",
    })
    void matches_headerRuleOnAbsentHeader_neverMatchesUnlessNegated(MatchType type, String value) {
        HttpRequest request = HttpRequest.builder().target("/").header("X-Other", "a").build();

        assertThat(matchesRequest(ContentRule.header("X-Absent", type, value), request)).isFalse();
        assertThat(matchesRequest(ContentRule.header("X-Absent", type, value).ignoreCase(), request)).isFalse();
        assertThat(matchesRequest(ContentRule.header("X-Absent", type, value).negate(), request)).isTrue();
    }

    // --- query ---

    @ParameterizedTest
    @CsvSource({
        "EXACT, ae=Item, /owa/?ae=Item, false, true",
        "EXACT, ae=Item, /owa/?ae=Item&t=1, false, false",
        "EXACT, AE=ITEM, /owa/?ae=Item, false, false",
        "EXACT, AE=ITEM, /owa/?ae=Item, true, true",
        "EXACT, '', /owa/, false, true",
        "EXACT, '', /owa/?, false, true",
        "PREFIX, ae=, /owa/?ae=Item, false, true",
        "PREFIX, ae=, /owa/?t=1&ae=Item, false, false",
        "SUFFIX, &debug=1, /x?a=1&debug=1, false, true",
        "SUFFIX, &DEBUG=1, /x?a=1&debug=1, true, true",
        "SUFFIX, &debug=1, /x?debug=1, false, false",
        "CONTAINS, cmd=, /x?a=1&cmd=go, false, true",
        "CONTAINS, cmd=, /x/cmd=?a=1, false, false",
        "CONTAINS, a%20b, /x?q=a%20b, false, true",
        "CONTAINS, a b, /x?q=a%20b, false, false",
        "REGEX, '(^|&)id=[0-9]+(&|$)', /x?a=1&id=42, false, true",
        "REGEX, '(^|&)id=[0-9]+(&|$)', /x?id=4x, false, false",
        "REGEX, '(^|&)ID=', /x?id=4, true, true",
    })
    void matches_queryRule_comparesRawQueryWithoutQuestionMark(MatchType type, String value, String target,
            boolean ignoreCase, boolean expected) {
        ContentRule rule = ContentRule.query(type, value);
        rule = ignoreCase ? rule.ignoreCase() : rule;

        assertThat(matchesTarget(rule, target)).isEqualTo(expected);
        assertThat(matchesTarget(rule.negate(), target)).isEqualTo(!expected);
    }

    // --- method ---

    @ParameterizedTest
    @CsvSource({
        "EXACT, GET, GET, false, true",
        "EXACT, GET, POST, false, false",
        "EXACT, GET, get, false, false",
        "EXACT, GET, get, true, true",
        "PREFIX, P, POST, false, true",
        "PREFIX, P, PUT, false, true",
        "PREFIX, P, GET, false, false",
        "SUFFIX, ETE, DELETE, false, true",
        "SUFFIX, ete, DELETE, false, false",
        "SUFFIX, ete, DELETE, true, true",
        "CONTAINS, TIO, OPTIONS, false, true",
        "CONTAINS, TIO, PATCH, false, false",
        "REGEX, '^(GET|HEAD)$', HEAD, false, true",
        "REGEX, '^(GET|HEAD)$', HEADX, false, false",
        "REGEX, '^(get|head)$', HEAD, true, true",
    })
    void matches_methodRule_comparesMethod(MatchType type, String value, String method, boolean ignoreCase,
            boolean expected) {
        ContentRule rule = ContentRule.of(MatchTarget.METHOD, "", type, value);
        rule = ignoreCase ? rule.ignoreCase() : rule;
        HttpRequest request = HttpRequest.builder().method(method).target("/").build();

        assertThat(matchesRequest(rule, request)).isEqualTo(expected);
        assertThat(matchesRequest(rule.negate(), request)).isEqualTo(!expected);
    }

    @Test
    void matches_methodShorthand_isExactAndCaseSensitive() {
        HttpRequest get = HttpRequest.builder().method("GET").target("/").build();
        HttpRequest lower = HttpRequest.builder().method("get").target("/").build();

        assertThat(matchesRequest(ContentRule.method("GET"), get)).isTrue();
        assertThat(matchesRequest(ContentRule.method("GET"), lower)).isFalse();
        assertThat(matchesRequest(ContentRule.method("GE"), get)).isFalse();
    }

    // --- source ---

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.1.2.3, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "10.0.0.0/8, 192.168.1.1, false",
        "192.168.0.0/16, 192.168.200.1, true",
        "192.168.0.0/16, 192.169.0.1, false",
        "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false",
        "172.16.0.0/12, 172.20.1.1, true",
        "172.16.0.0/12, 172.32.0.1, false",
        "0.0.0.0/0, 203.0.113.5, true",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "10.0.0.0/8, 2001:db8::1, false",
        "0.0.0.0/0, ::1, false",
    })
    void matches_ipv4SourceRule_testsClientAddressAgainstCidr(String cidr, String client, boolean expected) {
        HttpRequest request = HttpRequest.builder().target("/").source(ip(client)).build();

        assertThat(matchesRequest(ContentRule.source(cidr), request)).isEqualTo(expected);
        assertThat(matchesRequest(ContentRule.source(cidr).negate(), request)).isEqualTo(!expected);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8::/32, 2001:db8::1, true",
        "2001:db8::/32, 2001:db8:ffff:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "2001:db8:1:2::/64, 2001:db8:1:2:aaaa:bbbb:cccc:dddd, true",
        "2001:db8:1:2::/64, 2001:db8:1:3::1, false",
        "::1/128, ::1, true",
        "::1, ::1, true",
        "::1, ::2, false",
        "::/0, 2001:db8::1, true",
        "::/0, 127.0.0.1, false",
        "2001:db8::/32, 10.0.0.1, false",
    })
    void matches_ipv6SourceRule_testsClientAddressAgainstCidr(String cidr, String client, boolean expected) {
        HttpRequest request = HttpRequest.builder().target("/").source(ip(client)).build();

        assertThat(matchesRequest(ContentRule.source(cidr), request)).isEqualTo(expected);
        assertThat(matchesRequest(ContentRule.source(cidr).negate(), request)).isEqualTo(!expected);
    }

    @ParameterizedTest
    @CsvSource({
        "fe80::/10, fe80::1",
        "10.0.0.128/25, 10.0.0.200",
    })
    void matches_nonAlignedSourceRuleWithHighBit_matchesClientInsideBlock(String cidr, String client) {
        HttpRequest request = HttpRequest.builder().target("/").source(ip(client)).build();

        assertThat(matchesRequest(ContentRule.source(cidr), request)).isTrue();
    }

    @Test
    void compile_sourceRuleWithHostName_throwsNamingValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RuleMatcher.compile(ContentRule.source("example.com/8")))
                .withMessageContaining("example.com/8");
    }

    // --- regex compilation ---

    @ParameterizedTest
    @ValueSource(strings = {"(a", "(a)\\1", "a)", "[a-", "(?=a)b", "(?<!a)b", "a{2,1}", "*a", "\\"})
    void compile_invalidRe2Regex_throwsIllegalArgumentExceptionNamingTheRegex(String regex) {
        for (MatchTarget target : new MatchTarget[] {MatchTarget.PATH, MatchTarget.HOST, MatchTarget.HEADER,
            MatchTarget.QUERY, MatchTarget.METHOD}) {
            ContentRule rule = ContentRule.of(target, target == MatchTarget.HEADER ? "X-A" : "", MatchType.REGEX,
                    regex);

            assertThatIllegalArgumentException().as("%s", target)
                    .isThrownBy(() -> RuleMatcher.compile(rule))
                    .withMessageContaining("'" + regex + "'")
                    .withMessageContaining("RE2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a", "(a)\\1"})
    void compile_invalidRegexWithIgnoreCase_throwsNamingTheRegex(String regex) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RuleMatcher.compile(ContentRule.path(MatchType.REGEX, regex).ignoreCase()))
                .withMessageContaining(regex);
    }

    @ParameterizedTest
    @EnumSource(value = MatchType.class, names = {"EXACT", "PREFIX", "SUFFIX", "CONTAINS"})
    void compile_regexSyntaxInLiteralRule_isALiteral(MatchType type) {
        ContentRule rule = ContentRule.path(type, "(a");

        assertThatCode(() -> RuleMatcher.compile(rule)).doesNotThrowAnyException();
        assertThat(matchesTarget(rule, "(a")).isTrue();
        assertThat(matchesTarget(rule, "a")).isFalse();
    }

    @Test
    void compile_validRegex_isLinearTimeOnPathologicalInput() {
        RuleMatcher rule = RuleMatcher.compile(ContentRule.path(MatchType.REGEX, "^/(a+)+$"));
        String path = "/" + "a".repeat(10_000) + "b";
        HttpRequest request = HttpRequest.builder().target("/").build();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(rule.matches(request, path, HOST, request.sourceAddress())).isFalse();
            assertThat(rule.matches(request, "/aaaa", HOST, request.sourceAddress())).isTrue();
        });
    }

    @Test
    void rule_returnsTheRuleItWasCompiledFrom() {
        ContentRule rule = ContentRule.pathPrefix("/owa").ignoreCase().negate();

        assertThat(RuleMatcher.compile(rule).rule()).isSameAs(rule);
        assertThat(RuleMatcher.compile(rule)).hasToString(rule.toString());
    }
}
