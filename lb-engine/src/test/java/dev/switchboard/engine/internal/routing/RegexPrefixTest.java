package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.MatchType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The literal prefix that lets a regex rule skip inputs it cannot match, and that it never skips a match. */
class RegexPrefixTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "^/ews(/|$);/ews",
        "^/owa/.*;/owa/",
        "^/ab?c;/a",
        "^/a+;/",
        "^/ab{2};/a",
        "^/a*;/",
        "/ews;''",
        "^/a|^/b;''",
        "^(/a|/b);''",
        "^(?i)/x;''",
        "^\\Q/x\\E;''",
        "^/[|]x;/",
        "^/api(v1|v2)/;/api",
    })
    void literalPrefix_isOnlyWhatEveryMatchMustStartWith(String regex, String prefix) {
        assertThat(Regexes.literalPrefix(regex)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "^/ews(/|$);true;/EWS/x;true",
        "^/ews(/|$);false;/EWS/x;false",
        "^/ews(/|$);false;/ews;true",
        "^/ews(/|$);true;/ewsx;false",
        "^/ews(/|$);true;/ow;false",
        "^/ab?c;false;/ac;true",
        "^/ab?c;false;/abc;true",
        "^/a|^/b;false;/b;true",
        "^/kelvin;true;/\u212Aelvin;true",
        "^/\u212Aelvin;true;/kelvin;true",
    })
    void regexRule_withPrefilter_matchesExactlyWhatTheRegexMatches(String regex, boolean ignoreCase, String path,
            boolean matches) {
        ContentRule rule = ContentRule.path(MatchType.REGEX, regex);
        RuleMatcher matcher = RuleMatcher.compile(ignoreCase ? rule.ignoreCase() : rule);
        HttpRequest request = HttpRequest.builder().scheme("http").authority("h").target("/").build();

        assertThat(matcher.matches(request, path, "h", request.sourceAddress())).isEqualTo(matches);
    }
}
