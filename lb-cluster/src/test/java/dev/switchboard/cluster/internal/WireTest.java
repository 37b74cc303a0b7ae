package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WireTest {

    private final UUID sender = UUID.randomUUID();
    private final Secrets ours = new Secrets("edge", "s3cret");

    private byte[] batch(Secrets secrets) {
        Entry e = new Entry(42L, 7L, 99L << 16, 0L);
        return Wire.batch(secrets, sender, 5L, "mail/owa", List.of(e), List.of(1234L));
    }

    @Test
    void batch_signedWithTheSecret_readsBack() {
        Wire.Message m = Wire.read(ours, batch(ours));
        assertThat(m).isNotNull();
        assertThat(m.kind()).isEqualTo(Wire.BATCH);
        assertThat(m.sender()).isEqualTo(sender);
        assertThat(m.seq()).isEqualTo(5L);
        assertThat(m.owner()).isEqualTo("mail/owa");
        assertThat(m.entries()).containsExactly(42L, 7L, 99L << 16, 1234L);
    }

    @Test
    void isFrom_namesTheSenderOfEveryKind_andNoOtherMember() {
        assertThat(Wire.isFrom(batch(ours), sender)).isTrue();
        assertThat(Wire.isFrom(Wire.tick(ours, sender, 1L), sender)).isTrue();
        assertThat(Wire.isFrom(batch(ours), UUID.randomUUID())).isFalse();
        assertThat(Wire.isFrom(new byte[16], new UUID(0, 0))).as("too short to name one").isFalse();
    }

    @Test
    void serversRemoved_andSyncRequest_andTick_readBack() {
        Wire.Message removed = Wire.read(ours, Wire.serversRemoved(ours, sender, 6L, "mail/owa", new long[] {7, 8, 9}));
        assertThat(removed.kind()).isEqualTo(Wire.SERVERS_REMOVED);
        assertThat(removed.owner()).isEqualTo("mail/owa");
        assertThat(removed.entries()).containsExactly(7L, 8L, 9L);
        UUID target = UUID.randomUUID();
        Wire.Message request = Wire.read(ours, Wire.syncRequest(ours, sender, 7L, 42L, target));
        assertThat(request.kind()).isEqualTo(Wire.SYNC_REQUEST);
        assertThat(request.requestId()).isEqualTo(42L);
        assertThat(request.member()).isEqualTo(target);
        Wire.Message tick = Wire.read(ours, Wire.tick(ours, sender, 8L));
        assertThat(tick.kind()).isEqualTo(Wire.TICK);
        assertThat(tick.seq()).isEqualTo(8L);
    }

    @Test
    void batch_signedWithAnotherSecret_isDropped() {
        assertThat(Wire.read(ours, batch(new Secrets("edge", "other")))).isNull();
    }

    @Test
    void batch_withAFlippedByte_isDropped() {
        byte[] b = batch(ours);
        b[20] ^= 1;
        assertThat(Wire.read(ours, b)).isNull();
        assertThat(Wire.read(ours, new byte[3])).isNull();
    }

    @Test
    void clusterName_foldsInTheSecret_soAnotherSecretIsAnotherCluster() {
        assertThat(ours.clusterName()).startsWith("edge-").isNotEqualTo(new Secrets("edge", "other").clusterName())
                .isEqualTo(new Secrets("edge", "s3cret").clusterName()).doesNotContain("s3cret");
        assertThat(new Secrets("edge", "").clusterName()).isEqualTo("edge");
    }
}
