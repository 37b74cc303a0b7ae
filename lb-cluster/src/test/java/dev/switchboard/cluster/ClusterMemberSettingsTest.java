package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMemberSettingsTest {

    @Test
    void nonLoopbackMember_withoutSecret_isRefused_namingTheField() {
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("192.0.2.10:5701")
                .members(List.of("192.0.2.10:5701", "192.0.2.11:5701")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret")
                .hasMessageContaining("192.0.2.10:5701");
    }

    @Test
    void nonLoopbackMember_withSecret_builds() {
        assertThat(ClusterMember.builder().name("edge").member("192.0.2.10:5701").secret("s3cret").build())
                .isNotNull();
    }

    @Test
    void badValues_areRefused_namingFieldAndValue() {
        assertThatThrownBy(() -> ClusterMember.builder().name("a b").member("127.0.0.1:5701").build())
                .hasMessageContaining("name: 'a b'");
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("127.0.0.1:70000").build())
                .hasMessageContaining("member: '127.0.0.1:70000'");
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("localhost:5701").build())
                .hasMessageContaining("member: 'localhost:5701'");
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("127.0.0.1:5701")
                .members(List.of("127.0.0.1:5702", "nope")).build())
                .hasMessageContaining("members[1]: 'nope'");
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("127.0.0.1:5701")
                .batchInterval(Duration.ZERO).build())
                .hasMessageContaining("batchInterval: PT0S");
        assertThatThrownBy(() -> ClusterMember.builder().name("edge").member("127.0.0.1:5701")
                .bind("127.0.0.1:0").build())
                .hasMessageContaining("bind: '127.0.0.1:0'");
    }

    @Test
    void start_onAPortTaken_failsWithIllegalState_namingTheMember() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            ClusterMember m = ClusterMember.builder().name("taken-" + taken.getLocalPort()).member(address).build();
            try {
                assertThatThrownBy(m::start).isInstanceOf(IllegalStateException.class).hasMessageContaining(address);
                assertThat(m.isReady()).isFalse();
            } finally {
                m.close();
            }
        }
    }

    @Test
    void persistenceStore_beforeStart_isRefused() {
        ClusterMember m = ClusterMember.builder().name("edge").member("127.0.0.1:5701").build();
        assertThatThrownBy(() -> m.persistenceStore("mail/owa")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
    }
}
