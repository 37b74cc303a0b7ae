package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.spi.AdminStateChange;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdminWireTest {

    private final UUID sender = UUID.randomUUID();
    private final Secrets ours = new Secrets("edge", "s3cret");
    private final AdminStateChange drain = new AdminStateChange("mail", "owa", "ex01", AdminState.DRAINING);

    @Test
    void change_signedWithTheSecret_readsBack() {
        AdminWire.Message m = AdminWire.read(ours, AdminWire.change(ours, sender, 77L << 16, drain, 42, 1500));
        assertThat(m).isNotNull();
        assertThat(m.kind()).isEqualTo(AdminWire.CHANGE);
        assertThat(m.sender()).isEqualTo(sender);
        assertThat(m.stamp()).isEqualTo(77L << 16);
        assertThat(m.change()).isEqualTo(drain);
        assertThat(m.requestId()).isEqualTo(42);
        assertThat(m.deadlineMillis()).isEqualTo(1500);
    }

    @Test
    void hostWideState_andAck_readBack() {
        AdminStateChange host = AdminStateChange.host("ex02", AdminState.DISABLED);
        AdminWire.Message state = AdminWire.read(ours, AdminWire.state(ours, sender, 5, host));
        assertThat(state.kind()).isEqualTo(AdminWire.STATE);
        assertThat(state.change()).isEqualTo(host);
        UUID requester = UUID.randomUUID();
        AdminWire.Message ack = AdminWire.read(ours, AdminWire.ack(ours, sender, 9, requester, true));
        assertThat(ack.kind()).isEqualTo(AdminWire.ACK);
        assertThat(ack.requester()).isEqualTo(requester);
        assertThat(ack.requestId()).isEqualTo(9);
        assertThat(ack.drained()).isTrue();
    }

    @Test
    void change_signedWithAnotherSecret_orWithAFlippedByte_isDropped() {
        assertThat(AdminWire.read(ours, AdminWire.change(new Secrets("edge", "other"), sender, 1, drain, 0, 0)))
                .isNull();
        byte[] b = AdminWire.change(ours, sender, 1, drain, 0, 0);
        b[30] ^= 1;
        assertThat(AdminWire.read(ours, b)).isNull();
        assertThat(AdminWire.read(ours, new byte[3])).isNull();
        assertThat(AdminWire.read(ours, null)).isNull();
    }

    @Test
    void key_tellsAServerOfOneSubServiceFromTheHostWideName() {
        assertThat(AdminWire.key(drain)).isNotEqualTo(AdminWire.key(AdminStateChange.host("ex01",
                AdminState.DRAINING)));
        assertThat(AdminWire.key(drain)).isEqualTo(AdminWire.key(new AdminStateChange("mail", "owa", "ex01",
                AdminState.ENABLED)));
        assertThat(AdminWire.describe(drain)).isEqualTo("mail/owa/ex01 draining");
    }
}
