package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusWireTest {

    private final UUID sender = UUID.randomUUID();
    private final Secrets ours = new Secrets("edge", "s3cret");
    private final byte[] doc = "{\"virtualServices\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void status_signedWithTheSecret_readsBack() {
        StatusWire.Status s = StatusWire.read(ours, "stats",
                StatusWire.write(ours, sender, "stats", 7, "127.0.0.1:5701", doc), 1 << 20);

        assertThat(s).isNotNull();
        assertThat(s.sender()).isEqualTo(sender);
        assertThat(s.sequence()).isEqualTo(7);
        assertThat(s.address()).isEqualTo("127.0.0.1:5701");
        assertThat(s.document()).isEqualTo(doc);
    }

    @Test
    void status_anotherSecretOrBoardOrTamperedOrTooLarge_isNull() {
        byte[] forged = StatusWire.write(new Secrets("edge", "guess"), sender, "stats", 7, "127.0.0.1:5701", doc);
        byte[] good = StatusWire.write(ours, sender, "stats", 7, "127.0.0.1:5701", doc);
        byte[] tampered = good.clone();
        tampered[40] ^= 1;

        assertThat(StatusWire.read(ours, "stats", forged, 1 << 20)).isNull();
        assertThat(StatusWire.read(ours, "other", good, 1 << 20)).isNull();
        assertThat(StatusWire.read(ours, "stats", tampered, 1 << 20)).isNull();
        assertThat(StatusWire.read(ours, "stats", Arrays.copyOf(good, 20), 1 << 20)).isNull();
        assertThat(StatusWire.read(ours, "stats", good, doc.length - 1)).isNull();
    }
}
