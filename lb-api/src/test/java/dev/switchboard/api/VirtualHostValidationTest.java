package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualHostValidationTest {

    private static VirtualService.Builder vs(String name, String listen, Protocol protocol) {
        return VirtualService.builder(name).listen(listen).protocol(protocol)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("ex01", "10.0.0.11:443"))
                        .build());
    }

    private static List<String> problems(VirtualService... services) {
        LoadBalancer.Builder b = LoadBalancer.builder();
        for (VirtualService s : services) {
            b.virtualService(s);
        }
        ConfigurationException e = catchThrowableOfType(b::build, ConfigurationException.class);
        assertThat(e).as("build must fail").isNotNull();
        return e.violations().stream().map(v -> v.path() + ": " + v.message()).toList();
    }

    @Test
    void hostNames_mixedCaseAndTrailingDot_storedLowerCase() {
        VirtualService owa = vs("owa", "127.0.0.1:8443", Protocol.HTTPS).hostNames("OWA.Example.Test.", "*.Mail.Test")
                .build();

        assertThat(owa.hostNames()).containsExactly("owa.example.test", "*.mail.test");
    }

    @Test
    void build_threeVirtualServicesOnOneAddressWithOneDefault_isValid() {
        LoadBalancer lb = LoadBalancer.builder()
                .virtualService(vs("owa", "127.0.0.1:8443", Protocol.HTTPS).hostNames("owa.example.test").build())
                .virtualService(vs("any", "127.0.0.1:8443", Protocol.HTTPS).hostNames("*.example.test").build())
                .virtualService(vs("default", "127.0.0.1:8443", Protocol.HTTPS).build())
                .build();

        assertThat(lb.virtualServices()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "*", "*..a", "a.*.b", "**.a", "a*.b", "-a.b", "a b.c", ".a", "", "x.*"})
    void build_badHostName_isReportedWithItsPath(String bad) {
        List<String> problems = problems(vs("owa", "127.0.0.1:8443", Protocol.HTTPS)
                .hostNames("owa.example.test", bad).build());

        assertThat(problems).singleElement().asString()
                .startsWith("virtualServices[0].hostNames[1]: \"" + bad + "\"")
                .contains("expected: a DNS name");
    }

    @Test
    void build_twoDefaultsOnOneVirtualHostingAddress_isAnError() {
        List<String> problems = problems(vs("a", "127.0.0.1:8080", Protocol.HTTP).build(),
                vs("b", "127.0.0.1:8080", Protocol.HTTP).build(),
                vs("c", "127.0.0.1:8080", Protocol.HTTP).hostNames("c.test").build());

        assertThat(problems).singleElement().asString()
                .startsWith("virtualServices[1].hostNames: missing: a second default on 127.0.0.1:8080")
                .contains(", as virtualServices[0] has no hostNames either (expected: hostNames");
    }

    @Test
    void build_twoVirtualServicesWithoutHostNamesOnOneAddress_isLeftToTheHostThatBinds() {
        LoadBalancer lb = LoadBalancer.builder().virtualService(vs("a", "0.0.0.0:80", Protocol.HTTP).build())
                .virtualService(vs("b", "0.0.0.0:80", Protocol.HTTP).build()).build();

        assertThat(lb.virtualServices()).hasSize(2);
    }

    @Test
    void build_samePatternTwiceOnOneAddress_namesBothPlaces() {
        List<String> problems = problems(vs("a", "127.0.0.1:8080", Protocol.HTTP).hostNames("x.test").build(),
                vs("b", "127.0.0.1:8080", Protocol.HTTP).hostNames("y.test", "X.TEST").build());

        assertThat(problems).containsExactly("virtualServices[1].hostNames[1]: \"x.test\" on 127.0.0.1:8080 is also"
                + " virtualServices[0].hostNames[0] (expected: each host name once per address)");
    }

    @Test
    void build_samePatternTwiceInOneList_isAnError() {
        List<String> problems = problems(vs("a", "127.0.0.1:8080", Protocol.HTTP).hostNames("x.test", "x.test")
                .build());

        assertThat(problems).containsExactly("virtualServices[0].hostNames[1]: \"x.test\" is listed twice (also"
                + " virtualServices[0].hostNames[0])");
    }

    @Test
    void build_httpsAndTcpOnOneAddress_isAnError() {
        List<String> problems = problems(vs("a", "127.0.0.1:443", Protocol.HTTPS).hostNames("a.test").build(),
                vs("b", "127.0.0.1:443", Protocol.TCP).hostNames("b.test").build());

        assertThat(problems).singleElement().asString()
                .startsWith("virtualServices[1].protocol: tcp on 127.0.0.1:443, which virtualServices[0] serves"
                        + " with https");
    }

    @Test
    void build_httpAndHttpsOnOneAddress_isAnError() {
        List<String> problems = problems(vs("a", "127.0.0.1:443", Protocol.HTTPS).hostNames("a.test").build(),
                vs("b", "127.0.0.1:443", Protocol.HTTP).build());

        assertThat(problems).singleElement().asString().startsWith("virtualServices[1].protocol: http on");
    }

    @Test
    void build_samePatternOnDifferentAddressesOrPortZero_isValid() {
        LoadBalancer lb = LoadBalancer.builder()
                .virtualService(vs("a", "127.0.0.1:8080", Protocol.HTTP).hostNames("x.test").build())
                .virtualService(vs("b", "127.0.0.1:8081", Protocol.HTTP).hostNames("x.test").build())
                .virtualService(vs("c", "127.0.0.1:0", Protocol.HTTP).build())
                .virtualService(vs("d", "127.0.0.1:0", Protocol.HTTPS).build())
                .build();

        assertThat(lb.virtualServices()).hasSize(4);
    }
}
