package dev.switchboard.netty.internal.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostTableTest {

    private final HostTable<String> table = HostTable.<String>builder()
            .add("owa.example.test", "owa")
            .add("*.example.test", "any")
            .add("*.eu.example.test", "eu")
            .add("[::1]", "v6")
            .defaultTo("fallback")
            .build();

    @Test
    void select_exactBeatsWildcard_andTheLongestWildcardWins() {
        assertThat(table.select("owa.example.test", "none")).isEqualTo("owa");
        assertThat(table.select("a.eu.example.test", "none")).isEqualTo("eu");
        assertThat(table.select("x.y.eu.example.test", "none")).isEqualTo("eu");
        assertThat(table.select("a.example.test", "none")).isEqualTo("any");
        assertThat(table.select("eu.example.test", "none")).isEqualTo("any");
    }

    @Test
    void select_caseTrailingDotAndPort_areIgnored() {
        assertThat(table.select("OWA.Example.TEST.:8443", "none")).isEqualTo("owa");
        assertThat(table.select("[::1]:80", "none")).isEqualTo("v6");
    }

    @Test
    void select_noMatch_goesToTheDefault_orOtherwise() {
        assertThat(table.select("example.test", "none")).isEqualTo("fallback");
        assertThat(table.select("", "none")).isEqualTo("fallback");
        HostTable<String> noDefault = HostTable.<String>builder().add("*.example.test", "any").build();
        assertThat(noDefault.select("example.test", "none")).isEqualTo("none");
        assertThat(noDefault.select("notexample.test", "none")).isEqualTo("none");
        assertThat(noDefault.select("", "none")).isEqualTo("none");
    }

    @Test
    void builder_samePatternOrTwoDefaults_refused() {
        assertThatThrownBy(() -> HostTable.<String>builder().add("a.test", "x").add("a.test", "y"))
                .hasMessageContaining("\"a.test\" chooses both x and y");
        assertThatThrownBy(() -> HostTable.<String>builder().defaultTo("x").defaultTo("y"))
                .hasMessageContaining("both x and y have none");
    }
}
