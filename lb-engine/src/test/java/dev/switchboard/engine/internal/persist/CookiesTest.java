package dev.switchboard.engine.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CookiesTest {

    private static String value(String header, String name) {
        long b = Cookies.find(header, name + "=");
        return b < 0 ? null : header.substring((int) (b >>> 32), (int) b);
    }

    @Test
    void find_amongOthers_withSpacesAndQuotes() {
        assertThat(value("a=1; SBSRV=xyz; b=2", "SBSRV")).isEqualTo("xyz");
        assertThat(value("SBSRV=xyz", "SBSRV")).isEqualTo("xyz");
        assertThat(value("a=1;SBSRV=\"xyz\"", "SBSRV")).isEqualTo("xyz");
        assertThat(value("XSBSRV=1; SBSRVX=2; SBSRV=3", "SBSRV")).isEqualTo("3");
        assertThat(value("a=xSBSRV=1;\tSBSRV=4", "SBSRV")).as("only at a cookie boundary").isEqualTo("4");
    }

    @Test
    void find_absentEmptyOrMalformed_isNothing() {
        assertThat(value(null, "SBSRV")).isNull();
        assertThat(value("", "SBSRV")).isNull();
        assertThat(value("SBSRV", "SBSRV")).isNull();
        assertThat(value("SBSRV=", "SBSRV")).isNull();
        assertThat(value("SBSRV=\"\"", "SBSRV")).isNull();
        assertThat(value(";;;=;=", "SBSRV")).isNull();
        assertThat(value("sbsrv=x", "SBSRV")).as("cookie names are case-sensitive").isNull();
        assertThat(value("SBSRV=" + "x".repeat(Cookies.MAX_HEADER), "SBSRV")).isNull();
    }

    @Test
    void find_manyCookiesAndNearMissesUpToTheLimit_findsTheOneAtTheEnd() {
        String empties = "a;".repeat(8_000) + "SBSRV=ok";
        assertThat(empties.length()).isLessThanOrEqualTo(Cookies.MAX_HEADER);
        assertThat(value(empties, "SBSRV")).isEqualTo("ok");
        // every earlier hit of the name is inside another cookie's name or value: each must be passed over
        String nearMisses = "xSBSRV=1; a=SBSRV=2;".repeat(750) + " SBSRV=ok";
        assertThat(nearMisses.length()).isLessThanOrEqualTo(Cookies.MAX_HEADER);
        assertThat(value(nearMisses, "SBSRV")).isEqualTo("ok");
        assertThat(value(nearMisses.substring(0, nearMisses.length() - " SBSRV=ok".length()), "SBSRV")).isNull();
    }

    @Test
    void findSet_inSetCookieHeaders() {
        List<String> headers = List.of("theme=dark; Path=/", "JSESSIONID=abc; Path=/; HttpOnly");
        assertThat(Cookies.findSet(headers, "JSESSIONID")).isEqualTo("abc");
        assertThat(Cookies.findSet(headers, "theme")).isEqualTo("dark");
        assertThat(Cookies.findSet(headers, "none")).isNull();
        assertThat(Cookies.findSet(List.of("JSESSIONID=; Path=/"), "JSESSIONID")).isNull();
    }
}
