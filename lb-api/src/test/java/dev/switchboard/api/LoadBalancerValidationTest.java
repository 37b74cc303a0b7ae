package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Permission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoadBalancerValidationTest {

    private static final String SUB0 = "virtualServices[0].subServices[0]";

    // --- building blocks: each is valid on its own ---

    private static RealServer server(String name) {
        return RealServer.of(name, "10.0.0.11:443");
    }

    private static SubService.Builder sub(String name, String prefix) {
        return SubService.builder(name).matchAny(ContentRule.pathPrefix(prefix)).realServer(server("ex01"));
    }

    private static SubService.Builder fallback() {
        return SubService.builder("fallback").asDefault().realServer(server("ex01"));
    }

    private static VirtualService.Builder http(String name) {
        return VirtualService.builder(name).listen("0.0.0.0:80").protocol(Protocol.HTTP);
    }

    private static VirtualService.Builder tcp(String name) {
        return VirtualService.builder(name).listen("0.0.0.0:25").protocol(Protocol.TCP);
    }

    private static LoadBalancer.Builder lb(VirtualService... services) {
        LoadBalancer.Builder b = LoadBalancer.builder();
        for (VirtualService vs : services) {
            b.virtualService(vs);
        }
        return b;
    }

    /** One HTTP virtual service whose only sub-service is {@code sub}. */
    private static LoadBalancer.Builder withSub(SubService sub) {
        return lb(http("mail").subService(sub).build());
    }

    /** One HTTP virtual service with a default sub-service whose match is {@code rule}. */
    private static LoadBalancer.Builder withRule(ContentRule rule) {
        return withSub(SubService.builder("owa").matchAny(rule).realServer(server("ex01")).build());
    }

    private static List<Violation> violations(LoadBalancer.Builder builder) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, builder::build);
        assertThat(e).as("build() must throw ConfigurationException").isNotNull();
        return e.violations();
    }

    /** Asserts that building fails with exactly one violation, at {@code path}, whose message holds each fragment. */
    private static void assertOnlyViolation(LoadBalancer.Builder builder, String path, String... fragments) {
        List<Violation> violations = violations(builder);
        assertThat(violations).extracting(Violation::path).containsExactly(path);
        assertThat(violations.get(0).message()).contains(fragments);
    }

    // --- valid ---

    @Test
    void build_validModel_returnsEveryVirtualServiceInOrder() {
        VirtualService mail = http("mail").listen("0.0.0.0:443").protocol(Protocol.HTTPS)
                .slowStart(Duration.ofSeconds(30))
                .requestRule(HeaderRule.rewritePath("^/$", "/owa"))
                .requestRule(HeaderRule.deny(404).when(ContentMatch.any(ContentRule.pathPrefix("/ecp"))))
                .responseRule(HeaderRule.setHeader("X-Gateway", "sb"))
                .subService(SubService.builder("owa")
                        .match(ContentMatch.all(ContentRule.host(MatchType.EXACT, "mail.example.com"),
                                ContentRule.pathPrefix("/owa").ignoreCase()))
                        .realServer(RealServer.builder("ex01", "10.0.0.11:443").weight(0).maxConnections(0).build())
                        .realServer(RealServer.builder("ex02", "10.0.0.12:443").weight(RealServer.MAX_WEIGHT)
                                .maxConnections(500).build())
                        .queue(0, Duration.ofMillis(1))
                        .build())
                .subService(SubService.builder("api")
                        .matchAny(ContentRule.path(MatchType.REGEX, "^/api/v[0-9]+/"),
                                ContentRule.header("X-Api", MatchType.EXACT, ""),
                                ContentRule.source("10.0.0.0/8"), ContentRule.source("2001:db8::/32"),
                                ContentRule.method("POST"), ContentRule.query(MatchType.CONTAINS, "api=1"),
                                ContentRule.path(MatchType.PREFIX, "mail.example.com/api").includeHost(),
                                ContentRule.path(MatchType.SUFFIX, ".json"))
                        .realServer(server("ex01"))
                        .responseRule(HeaderRule.removeHeader("Server"))
                        .build())
                .subService(fallback().build())
                .build();
        VirtualService redirector = http("to-https").redirect(Redirect.toScheme("https")).build();
        VirtualService smtp = tcp("smtp").subService(fallback().build()).build();

        LoadBalancer built = lb(mail, redirector, smtp).build();

        assertThat(built.virtualServices()).containsExactly(mail, redirector, smtp);
        assertThat(built.findVirtualService("to-https")).containsSame(redirector);
        assertThat(built.findVirtualService("absent")).isEmpty();
    }

    @Test
    void build_noVirtualServices_returnsEmptyModel() {
        assertThat(LoadBalancer.builder().build().virtualServices()).isEmpty();
    }

    // --- every violation at once ---

    @Test
    void build_severalProblems_throwsOneExceptionListingEveryViolationWithItsPath() {
        VirtualService mail = http("mail")
                .subService(sub("owa", "/owa").build())
                .subService(SubService.builder("ews").matchAny(ContentRule.pathPrefix("/ews"))
                        .realServer(RealServer.builder("ex01", "10.0.0.11:443").weight(-1).maxConnections(-5).build())
                        .build())
                .subService(SubService.builder("default").asDefault().realServer(server("bad name!")).build())
                .build();
        VirtualService duplicate = http("mail").build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, lb(mail, duplicate)::build);

        assertThat(e).isNotNull();
        assertThat(e.violations()).extracting(Violation::path).containsExactly(
                "virtualServices[0].subServices[1].realServers[0].weight",
                "virtualServices[0].subServices[1].realServers[0].maxConnections",
                "virtualServices[0].subServices[2].realServers[0].name",
                "virtualServices[1].subServices",
                "virtualServices[1].name");
        assertThat(e.violations().get(0).message()).contains("-1").contains("0..65535");
        assertThat(e.violations().get(1).message()).contains("-5");
        assertThat(e.violations().get(2).message()).contains("'bad name!'");
        assertThat(e.violations().get(4).message()).contains("'mail'").contains("twice");
        assertThat(e.getMessage())
                .startsWith("5 configuration problems:\n")
                .contains("  virtualServices[0].subServices[1].realServers[0].weight: -1 (expected: 0..65535)\n");
    }

    // --- real servers ---

    @ParameterizedTest
    @ValueSource(ints = {-1, 65_536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void build_weightOutOfRange_reportsWeightWithValueAndRange(int weight) {
        assertOnlyViolation(withSub(SubService.builder("owa").asDefault()
                        .realServer(RealServer.builder("ex01", "10.0.0.11:443").weight(weight).build()).build()),
                SUB0 + ".realServers[0].weight", String.valueOf(weight), "0..65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535})
    void build_weightAtBounds_builds(int weight) {
        assertThatCode(() -> withSub(SubService.builder("owa").asDefault()
                .realServer(RealServer.builder("ex01", "10.0.0.11:443").weight(weight).build()).build()).build())
                .doesNotThrowAnyException();
    }

    @Test
    void build_negativeMaxConnections_reportsMaxConnections() {
        assertOnlyViolation(withSub(fallback()
                        .realServer(RealServer.builder("ex02", "10.0.0.12:443").maxConnections(-1).build()).build()),
                SUB0 + ".realServers[1].maxConnections", "-1");
    }

    @Test
    void build_duplicateServerNameInPool_reportsTheSecondServer() {
        assertOnlyViolation(withSub(fallback().realServer(server("ex02"))
                        .realServer(RealServer.of("ex01", "10.0.0.99:443")).build()),
                SUB0 + ".realServers[2].name", "'ex01'", "twice");
    }

    @Test
    void build_sameServerNameInTwoPools_builds() {
        assertThatCode(() -> lb(http("mail").subService(sub("owa", "/owa").build())
                .subService(fallback().build()).build()).build()).doesNotThrowAnyException();
    }

    @Test
    void build_emptyPool_reportsRealServers() {
        assertOnlyViolation(withSub(SubService.builder("owa").asDefault().build()),
                SUB0 + ".realServers", "empty");
    }

    // --- sub-services ---

    @Test
    void build_duplicateSubServiceName_reportsTheSecond() {
        assertOnlyViolation(lb(http("mail").subService(sub("owa", "/owa").build())
                        .subService(sub("owa", "/ews").build()).build()),
                "virtualServices[0].subServices[1].name", "'owa'", "twice");
    }

    @Test
    void build_duplicateVirtualServiceName_reportsTheSecond() {
        assertOnlyViolation(lb(http("mail").subService(fallback().build()).build(),
                        http("other").subService(fallback().build()).build(),
                        http("mail").listen("0.0.0.0:8080").subService(fallback().build()).build()),
                "virtualServices[2].name", "'mail'", "twice");
    }

    @Test
    void build_twoDefaults_reportsTheSecondDefault() {
        assertOnlyViolation(lb(http("mail").subService(fallback().build())
                        .subService(sub("owa", "/owa").build())
                        .subService(SubService.builder("other").asDefault().realServer(server("ex01")).build())
                        .build()),
                "virtualServices[0].subServices[2].default", "at most one");
    }

    @Test
    void build_threeDefaults_reportsEveryExtraDefault() {
        List<Violation> violations = violations(lb(http("mail")
                .subService(SubService.builder("d1").asDefault().realServer(server("ex01")).build())
                .subService(SubService.builder("d2").asDefault().realServer(server("ex01")).build())
                .subService(SubService.builder("d3").asDefault().realServer(server("ex01")).build())
                .build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].subServices[1].default", "virtualServices[0].subServices[2].default");
    }

    @Test
    void build_nonDefaultSubServiceWithoutRules_reportsMatch() {
        assertOnlyViolation(withSub(SubService.builder("owa").realServer(server("ex01")).build()),
                SUB0 + ".match", "no content rules");
    }

    @Test
    void build_virtualServiceWithoutSubServices_reportsSubServicesEmpty() {
        assertOnlyViolation(lb(http("mail").build()), "virtualServices[0].subServices", "empty");
    }

    @Test
    void build_negativeSlowStart_reportsSlowStartOnVirtualServiceAndSubService() {
        List<Violation> violations = violations(lb(http("mail").slowStart(Duration.ofSeconds(-1))
                .subService(fallback().slowStart(Duration.ofMillis(-5)).build()).build()));

        assertThat(violations).extracting(Violation::path)
                .containsExactly("virtualServices[0].slowStart", SUB0 + ".slowStart");
        assertThat(violations.get(0).message()).contains("PT-1S");
        assertThat(violations.get(1).message()).contains("PT-0.005S");
    }

    @Test
    void build_negativeQueueCapacity_reportsQueueCapacity() {
        assertOnlyViolation(withSub(fallback().queue(-1, Duration.ofSeconds(1)).build()),
                SUB0 + ".queueCapacity", "-1");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void build_queueTimeoutNotPositive_reportsQueueTimeout(long millis) {
        assertOnlyViolation(withSub(fallback().queue(10, Duration.ofMillis(millis)).build()),
                SUB0 + ".queueTimeout", Duration.ofMillis(millis).toString(), "more than zero");
    }

    @Test
    void build_zeroQueueCapacity_builds() {
        assertThatCode(() -> withSub(fallback().queue(0, Duration.ofMillis(1)).build()).build())
                .doesNotThrowAnyException();
    }

    // --- names ---

    @ParameterizedTest
    @ValueSource(strings = {"", "mail service", "owa/", "ex:01", "caf\u00e9", "a\nb",
        "12345678901234567890123456789012345678901234567890123456789012345"})
    void build_badNames_reportsEveryNameWithItsPath(String name) {
        List<Violation> violations = violations(lb(http(name)
                .subService(SubService.builder(name).asDefault().realServer(server(name)).build()).build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].name", SUB0 + ".name", SUB0 + ".realServers[0].name");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("'" + name + "'"));
    }

    @Test
    void build_nameOfSixtyFourAllowedCharacters_builds() {
        String name = "Aa0._-".repeat(10) + "abcd";
        assertThat(name).hasSize(64);

        assertThatCode(() -> lb(http(name).subService(SubService.builder(name).asDefault()
                .realServer(server(name)).build()).build()).build()).doesNotThrowAnyException();
    }

    // --- redirectors ---

    @Test
    void build_redirectorWithSubServices_reportsSubServices() {
        assertOnlyViolation(lb(http("to-https").redirect(Redirect.toScheme("https"))
                        .subService(fallback().build()).build()),
                "virtualServices[0].subServices", "redirector");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 300, 304, 400, 0, -301})
    void build_redirectWithBadStatus_reportsStatus(int status) {
        assertOnlyViolation(lb(http("r").redirect(new Redirect("https", "", 0, status)).build()),
                "virtualServices[0].redirect.status", String.valueOf(status), "301, 302, 303, 307 or 308");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void build_redirectWithRedirectStatus_builds(int status) {
        assertThatCode(() -> lb(http("r").redirect(new Redirect("http", "www.example.com", 8080, status)).build())
                .build()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp", "", "HTTPS", "https:"})
    void build_redirectWithBadScheme_reportsScheme(String scheme) {
        assertOnlyViolation(lb(http("r").redirect(Redirect.toScheme(scheme)).build()),
                "virtualServices[0].redirect.scheme", "'" + scheme + "'", "http or https");
    }

    @Test
    void build_redirectWithBadPortAndHost_reportsBoth() {
        List<Violation> violations = violations(lb(http("r")
                .redirect(new Redirect("https", "bad host", 70_000, 301)).build()));

        assertThat(violations).extracting(Violation::path)
                .containsExactly("virtualServices[0].redirect.port", "virtualServices[0].redirect.host");
    }

    // --- tcp ---

    @Test
    void build_tcpVirtualServiceWithContentRules_reportsMatch() {
        List<Violation> violations = violations(lb(tcp("smtp")
                .subService(SubService.builder("mx").asDefault().matchAny(ContentRule.pathPrefix("/x"))
                        .realServer(server("mx01")).build())
                .build()));

        assertThat(violations).extracting(Violation::path).containsExactly(SUB0 + ".match");
        assertThat(violations.get(0).message()).contains("tcp");
    }

    @Test
    void build_tcpVirtualServiceWithHeaderRules_reportsEveryRuleList() {
        List<Violation> violations = violations(lb(tcp("smtp")
                .requestRule(HeaderRule.setHeader("X-A", "1"))
                .responseRule(HeaderRule.setHeader("X-B", "1"))
                .subService(fallback().requestRule(HeaderRule.removeHeader("X-C"))
                        .responseRule(HeaderRule.removeHeader("X-D")).build())
                .build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].requestRules", "virtualServices[0].responseRules",
                SUB0 + ".requestRules", SUB0 + ".responseRules");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("tcp"));
    }

    @Test
    void build_tcpVirtualServiceWithoutDefault_reportsMissingDefault() {
        List<Violation> violations = violations(lb(tcp("smtp")
                .subService(SubService.builder("mx").realServer(server("mx01")).build()).build()));

        assertThat(violations).extracting(Violation::path).contains("virtualServices[0].subServices");
        assertThat(violations).filteredOn(v -> v.path().equals("virtualServices[0].subServices"))
                .singleElement().extracting(Violation::message).asString().contains("no default");
    }

    @Test
    void build_tcpRedirector_reportsRedirect() {
        assertOnlyViolation(lb(tcp("smtp").redirect(Redirect.toScheme("https")).build()),
                "virtualServices[0].redirect", "tcp");
    }

    // --- header rules ---

    static List<HeaderRule> requestOnlyRules() {
        return List.of(HeaderRule.rewritePath("^/$", "/owa"), HeaderRule.rewriteHost("^a$", "b"),
                HeaderRule.deny(), HeaderRule.deny(404));
    }

    @ParameterizedTest
    @MethodSource("requestOnlyRules")
    void build_responseRuleWithRequestOnlyAction_reportsAction(HeaderRule rule) {
        List<Violation> violations = violations(lb(http("mail").responseRule(rule)
                .subService(fallback().responseRule(rule).build()).build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].responseRules[0].action", SUB0 + ".responseRules[0].action");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains(rule.action().configName()));
    }

    @ParameterizedTest
    @MethodSource("requestOnlyRules")
    void build_requestRuleWithRequestOnlyAction_builds(HeaderRule rule) {
        assertThatCode(() -> lb(http("mail").requestRule(rule).subService(fallback().requestRule(rule).build())
                .build()).build()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "\r\n"})
    void build_headerValueWithCrLfOrNul_reportsValue(String value) {
        List<Violation> violations = violations(lb(http("mail")
                .requestRule(HeaderRule.setHeader("X-A", value))
                .responseRule(HeaderRule.addHeader("X-B", value))
                .subService(fallback().requestRule(HeaderRule.replaceHeader("X-C", "x", value)).build())
                .build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].requestRules[0].value", "virtualServices[0].responseRules[0].value",
                SUB0 + ".requestRules[0].value");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("CR, LF or NUL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Bad", "X:Y", "X-\u00c4", "(x)", "a/b", "X-A\r\n"})
    void build_badHeaderName_reportsHeader(String name) {
        List<Violation> violations = violations(lb(http("mail")
                .requestRule(HeaderRule.setHeader(name, "v"))
                .requestRule(HeaderRule.removeHeader(name))
                .subService(fallback().build())
                .build()));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "virtualServices[0].requestRules[0].header", "virtualServices[0].requestRules[1].header");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("'" + name + "'"));
    }

    @ParameterizedTest
    @ValueSource(ints = {399, 600, 0, 200, 302})
    void build_denyStatusOutOfRange_reportsStatus(int status) {
        assertOnlyViolation(lb(http("mail").requestRule(HeaderRule.deny(status)).subService(fallback().build())
                        .build()),
                "virtualServices[0].requestRules[0].status", String.valueOf(status), "400..599");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 599})
    void build_denyStatusInRange_builds(int status) {
        assertThatCode(() -> lb(http("mail").requestRule(HeaderRule.deny(status)).subService(fallback().build())
                .build()).build()).doesNotThrowAnyException();
    }

    @Test
    void build_rewriteWithEmptyPattern_reportsPattern() {
        assertOnlyViolation(lb(http("mail").requestRule(HeaderRule.rewritePath("", "/x"))
                        .subService(fallback().build()).build()),
                "virtualServices[0].requestRules[0].pattern", "empty");
    }

    @Test
    void build_headerRuleConditionWithBadRule_reportsItUnderMatch() {
        assertOnlyViolation(lb(http("mail")
                        .requestRule(HeaderRule.deny().when(ContentMatch.any(ContentRule.pathPrefix("/ok"),
                                ContentRule.pathPrefix("ecp"))))
                        .subService(fallback().build()).build()),
                "virtualServices[0].requestRules[0].match[1].value", "'ecp'");
    }

    // --- content rules ---

    @ParameterizedTest
    @ValueSource(strings = {"example.com/8", "example.com", "10.0.0.0/33", "10.0.0/8", "::/129", "any", ""})
    void build_sourceRuleNotACidr_reportsValue(String value) {
        assertOnlyViolation(withRule(ContentRule.source(value)), SUB0 + ".match[0].value",
                "'" + value + "'", "CIDR");
    }

    @Test
    void build_sourceRuleWithHostName_isRejectedWithoutNameLookup() {
        List<String> lookups = new CopyOnWriteArrayList<>();

        List<Violation> violations = recordingLookups(lookups, () -> violations(withRule(
                ContentRule.source("example.com/8"))));

        assertThat(violations).extracting(Violation::path).containsExactly(SUB0 + ".match[0].value");
        assertThat(lookups).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.0.0.0/8", "256.1.1.1"})
    void build_sourceRuleWithOutOfRangeQuad_isRejectedWithoutNameLookup(String value) {
        List<String> lookups = new CopyOnWriteArrayList<>();

        List<Violation> violations = recordingLookups(lookups, () -> violations(withRule(ContentRule.source(value))));

        assertThat(violations).extracting(Violation::path).containsExactly(SUB0 + ".match[0].value");
        assertThat(lookups).isEmpty();
    }

    @Test
    void recordingLookups_nameLookup_isRecorded() {
        List<String> lookups = new CopyOnWriteArrayList<>();

        recordingLookups(lookups, () -> {
            try {
                return InetAddress.getByName("localhost");
            } catch (UnknownHostException e) {
                return null;
            }
        });

        assertThat(lookups).containsExactly("localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"owa", "owa/", "*", " /owa", "\\owa"})
    void build_pathPrefixNotStartingWithSlash_reportsValue(String value) {
        List<Violation> violations = violations(withRule(ContentRule.pathPrefix(value)));

        assertThat(violations).extracting(Violation::path).containsExactly(SUB0 + ".match[0].value");
        assertThat(violations.get(0).message()).contains("'" + value + "'");
    }

    @Test
    void build_pathExactNotStartingWithSlash_reportsValue() {
        assertOnlyViolation(withRule(ContentRule.path(MatchType.EXACT, "owa")), SUB0 + ".match[0].value",
                "'owa'", "starting with /");
    }

    @Test
    void build_pathPrefixIncludingHost_mayStartWithHost() {
        assertThatCode(() -> withRule(ContentRule.pathPrefix("mail.example.com/owa").includeHost()).build())
                .doesNotThrowAnyException();
    }

    @Test
    void build_headerRuleWithBadHeaderName_reportsHeader() {
        assertOnlyViolation(withRule(ContentRule.header("User Agent", MatchType.CONTAINS, "x")),
                SUB0 + ".match[0].header", "'User Agent'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GET POST", "G\u00c9T"})
    void build_methodRuleWithBadMethod_reportsValue(String method) {
        assertOnlyViolation(withRule(ContentRule.method(method)), SUB0 + ".match[0].value", "'" + method + "'");
    }

    @Test
    void build_includeQueryOnNonPathRule_reportsRule() {
        assertOnlyViolation(withRule(ContentRule.query(MatchType.CONTAINS, "a").includeQuery()),
                SUB0 + ".match[0]", "path rules only");
    }

    @Test
    void build_emptyContainsValue_reportsValue() {
        assertOnlyViolation(withRule(ContentRule.header("X-A", MatchType.CONTAINS, "")),
                SUB0 + ".match[0].value", "empty");
    }

    // --- a name-lookup recorder (JDK 17: InetAddress asks the SecurityManager before every lookup) ---

    @SuppressWarnings("removal")
    private static <T> T recordingLookups(List<String> lookups, Supplier<T> action) {
        SecurityManager previous = System.getSecurityManager();
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkPermission(Permission perm) {
                }

                @Override
                public void checkPermission(Permission perm, Object context) {
                }

                @Override
                public void checkConnect(String host, int port) {
                    if (port == -1) {
                        lookups.add(host);
                    }
                }
            });
        } catch (UnsupportedOperationException e) {
            assumeThat(false).as("this JDK cannot install a SecurityManager").isTrue();
        }
        try {
            return action.get();
        } finally {
            System.setSecurityManager(previous);
        }
    }
}
