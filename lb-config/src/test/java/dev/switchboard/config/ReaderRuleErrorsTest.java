package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.switchboard.api.SubService;

/** Problems in rules, persistence, health checks and the model's own validation, each with its path. */
class ReaderRuleErrorsTest {

    @TempDir
    Path dir;

    /** One http virtual service with sub-service "owa" ({@code %1$s} adds keys to it) and a default one. */
    private static final String TWO_SUBS = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http",
              "subServices": [
                {"name": "owa", "match": [{"on": "path", "type": "prefix", "value": "/owa"}] %1$s,
                 "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]},
                {"name": "rest", "default": true, "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    private List<String> subErrors(String keys) {
        return errors(TWO_SUBS.formatted(keys));
    }

    @Test
    void badCidr_sourceRule_reportedAtValue() {
        assertThat(errors(TWO_SUBS.replace("\"on\": \"path\", \"type\": \"prefix\", \"value\": \"/owa\"",
                "\"on\": \"source\", \"value\": \"10.0.0.0/33\"").formatted(""))).containsExactly(
                "virtualServices[0].subServices[0].match[0].value: bad CIDR block, expected an IP address with an"
                        + " optional /prefix such as 10.0.0.0/8 (got \"10.0.0.0/33\")");
    }

    @Test
    void badRegex_matchAndRewrite_reportedAtValueAndPattern() {
        assertThat(errors(TWO_SUBS.replace("\"type\": \"prefix\", \"value\": \"/owa\"",
                "\"type\": \"regex\", \"value\": \"^/owa(\"").formatted(""))).containsExactly(
                "virtualServices[0].subServices[0].match[0].value: bad regular expression: missing closing )"
                        + " (got \"^/owa(\")");
        assertThat(subErrors(", \"requestRules\": [{\"action\": \"rewrite-path\", \"pattern\": \"[\","
                + " \"replacement\": \"/x\"}]")).containsExactly(
                "virtualServices[0].subServices[0].requestRules[0].pattern: bad regular expression: missing closing ]"
                        + " (got \"[\")");
    }

    @Test
    void ruleKeyOfAnotherAction_parse_refused() {
        assertThat(subErrors(", \"requestRules\": [{\"action\": \"remove-header\", \"header\": \"X-A\","
                + " \"value\": \"1\"}]")).containsExactly(
                "virtualServices[0].subServices[0].requestRules[0].value: not used by action remove-header"
                        + " (it takes header) (got \"1\")");
    }

    @Test
    void phaseOnSubServiceRule_parse_refused() {
        assertThat(subErrors(", \"requestRules\": [{\"action\": \"remove-header\", \"header\": \"X-A\","
                + " \"phase\": \"after-match\"}]")).singleElement().asString()
                .startsWith("virtualServices[0].subServices[0].requestRules[0].phase: only allowed on a virtual"
                        + " service's requestRules")
                .endsWith("(got \"after-match\")");
    }

    @Test
    void modelViolation_replacementWithNewline_reportedAtReplacement() {
        assertThat(subErrors(", \"requestRules\": [{\"action\": \"rewrite-host\", \"pattern\": \"^a$\","
                + " \"replacement\": \"b\\nc\"}]")).containsExactly(
                "virtualServices[0].subServices[0].requestRules[0].replacement: contains CR, LF or NUL, expected a"
                        + " single-line value (got \"b\\nc\")");
    }

    @Test
    void responseRuleWithRequestAction_parse_listsHeaderActions() {
        assertThat(subErrors(", \"responseRules\": [{\"action\": \"deny\"}]")).containsExactly(
                "virtualServices[0].subServices[0].responseRules[0].action: expected one of set-header, add-header,"
                        + " remove-header, replace-header (got \"deny\")");
    }

    @Test
    void persistenceWithoutRequiredName_parse_namesModeThatNeedsIt() {
        assertThat(subErrors(", \"persistence\": {\"mode\": \"server-cookie\"}")).containsExactly(
                "virtualServices[0].subServices[0].persistence.cookieName: missing, expected a name: mode"
                        + " server-cookie requires it (got nothing)");
        assertThat(subErrors(", \"persistence\": {\"mode\": \"source-ip\", \"fallback\": \"header\"}"))
                .containsExactly("virtualServices[0].subServices[0].persistence.header: missing, expected a name:"
                        + " mode header requires it (got nothing)");
    }

    @Test
    void modelViolation_weightOutOfRange_mappedToFileLine() {
        assertThat(errors(TWO_SUBS.replace("\"127.0.0.1:9001\"}]},", "\"127.0.0.1:9001\", \"weight\": -1}]},")
                .formatted(""))).containsExactly(
                "virtualServices[0].subServices[0].realServers[0].weight: expected 0..65535 (got -1)");
    }

    @Test
    void modelViolation_persistenceFallbackSameAsMode_mappedWithValue() {
        assertThat(subErrors(", \"persistence\": {\"mode\": \"source-ip\", \"fallback\": \"source-ip\"}"))
                .containsExactly("virtualServices[0].subServices[0].persistence.fallback: expected a mode other than"
                        + " the first (got \"source-ip\")");
    }

    @Test
    void modelViolation_noMatchAndNotDefault_mappedWithAbsentValue() {
        assertThat(errors(TWO_SUBS.replace("\"match\": [{\"on\": \"path\", \"type\": \"prefix\", \"value\":"
                + " \"/owa\"}]", "\"match\": []").formatted(""))).containsExactly(
                "virtualServices[0].subServices[0].match: no content rules, expected at least one rule, or default:"
                        + " true (got [])");
    }

    @Test
    void duplicateNames_parse_reportedOncePerDuplicate() {
        assertThat(errors(TWO_SUBS.replace("\"name\": \"rest\"", "\"name\": \"owa\"").formatted(""))).containsExactly(
                "virtualServices[0].subServices[1].name: 'owa' is used twice in this virtual service (got \"owa\")");
        String twoServices = """
                {"virtualServices": [
                  {"name": "web", "listen": "127.0.0.1:8080", "protocol": "http", "redirect": {}},
                  {"name": "web", "listen": "127.0.0.1:8080", "protocol": "http", "redirect": {}}]}
                """;
        assertThat(errors(twoServices)).containsExactly(
                "virtualServices[1].name: duplicate name, already used by virtualServices[0] (got \"web\")",
                "virtualServices[1].listen: duplicate listen address, already used by virtualServices[0].listen"
                        + " (got \"127.0.0.1:8080\")");
    }

    @Test
    void healthCheck_badValues_reportedWithFileKeys() {
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"http\", \"expectStatus\": [200, \"2xx\"],"
                + " \"interval\": \"soon\", \"rise\": 0}")).containsExactly(
                "virtualServices[0].subServices[0].healthCheck.interval: bad duration: no number, expected "
                        + Durations.EXPECTED + " (got \"soon\")",
                "virtualServices[0].subServices[0].healthCheck.rise: expected an integer 1..1000 (got 0)",
                "virtualServices[0].subServices[0].healthCheck.expectStatus[1]: expected a status code such as 200"
                        + " or a range such as \"200-399\" (got \"2xx\")");
    }

    @Test
    void healthCheck_builderViolations_mappedToFileKeys() {
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"http\", \"path\": \"health\","
                + " \"expectStatus\": \"399-200\"}")).containsExactly(
                "virtualServices[0].subServices[0].healthCheck.path: expected a path starting with /, without spaces"
                        + " (got \"health\")",
                "virtualServices[0].subServices[0].healthCheck.expectStatus: 399..200, expected codes in 100..599,"
                        + " from <= to (got \"399-200\")");
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"tcp\", \"path\": \"/x\"}")).containsExactly(
                "virtualServices[0].subServices[0].healthCheck.path: set on a TCP check, expected only on http checks"
                        + " (got \"/x\")");
    }

    @Test
    void healthCheck_reuseConnection_readAsABoolean() {
        GatewayConfig config = GatewayConfigReader.parse(TWO_SUBS.formatted(
                ", \"healthCheck\": {\"type\": \"http\", \"reuseConnection\": false}"), dir);
        assertThat(checked(config).get(0).findHealthCheck().orElseThrow().reuseConnection()).isFalse();
        GatewayConfig byDefault = GatewayConfigReader.parse(TWO_SUBS.formatted(
                ", \"healthCheck\": {\"type\": \"http\"}"), dir);
        assertThat(checked(byDefault).get(0).findHealthCheck().orElseThrow().reuseConnection()).isTrue();
    }

    @Test
    void healthCheck_reuseConnection_wrongTypeOrKind_reportedWithPathAndValue() {
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"http\", \"reuseConnection\": \"yes\"}"))
                .containsExactly("virtualServices[0].subServices[0].healthCheck.reuseConnection: expected true or"
                        + " false (got \"yes\")");
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"tcp\", \"reuseConnection\": true}"))
                .containsExactly("virtualServices[0].subServices[0].healthCheck.reuseConnection: true on a TCP"
                        + " check, expected only on http and http agent checks; an HTTPS probe opens a new"
                        + " connection each time (got true)");
    }

    @Test
    void healthCheck_bodyPatternNotRe2j_reportedWithPathByTheReader() {
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"http\", \"bodyPattern\": \"ok(?=!)\"}"))
                .singleElement().asString().startsWith("virtualServices[0].subServices[0].healthCheck.bodyPattern:");
    }

    @Test
    void healthCheck_typeNone_noBindingAndNoOtherKeys() {
        GatewayConfig config = GatewayConfigReader.parse(TWO_SUBS.formatted(", \"healthCheck\": {\"type\": \"none\"}"),
                dir);
        assertThat(checked(config)).isEmpty();
        assertThat(subErrors(", \"healthCheck\": {\"type\": \"none\", \"path\": \"/x\"}")).containsExactly(
                "virtualServices[0].subServices[0].healthCheck.path: not used with \"type\": \"none\" (got \"/x\")");
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
