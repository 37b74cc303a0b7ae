package dev.switchboard.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * The replication messages, as signed byte arrays on one Hazelcast topic (no Java serialization): a header (kind,
 * sender UUID), a body, and an HMAC-SHA256 tag ({@link Secrets}). Kinds: a batch of one owner's writes; a request
 * for a snapshot (sent by a joining member); the end of a snapshot (sent to the requester after the snapshot's
 * batches, on the same topic, so per-publisher ordering delivers it last). Stateless, thread-safe.
 */
final class Wire {

    static final byte BATCH = 1;
    static final byte SYNC_REQUEST = 2;
    static final byte SYNC_DONE = 3;

    private Wire() {
    }

    /** One decoded message; fields unused by a kind are zero or null. */
    record Message(byte kind, UUID sender, String owner, long[] entries, long requestId, UUID requester) {
    }

    static byte[] batch(Secrets secrets, UUID sender, ReplicatedTable table, List<Entry> entries, List<Long> ages) {
        return write(secrets, BATCH, sender, out -> {
            out.writeUTF(table.owner());
            out.writeInt(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                out.writeLong(e.key);
                out.writeLong(e.serverId);
                out.writeLong(e.stamp);
                out.writeLong(ages.get(i));
            }
        });
    }

    static byte[] syncRequest(Secrets secrets, UUID sender, long requestId) {
        return write(secrets, SYNC_REQUEST, sender, out -> out.writeLong(requestId));
    }

    static byte[] syncDone(Secrets secrets, UUID sender, long requestId, UUID requester) {
        return write(secrets, SYNC_DONE, sender, out -> {
            out.writeLong(requestId);
            out.writeLong(requester.getMostSignificantBits());
            out.writeLong(requester.getLeastSignificantBits());
        });
    }

    /** The message, or null when its tag does not verify or it is malformed. */
    static Message read(Secrets secrets, byte[] bytes) {
        if (!secrets.verify(bytes)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, 0, bytes.length - Secrets.TAG_BYTES))) {
            byte kind = in.readByte();
            UUID sender = new UUID(in.readLong(), in.readLong());
            switch (kind) {
                case BATCH -> {
                    String owner = in.readUTF();
                    int n = in.readInt();
                    if (n < 0 || n > (bytes.length / 32)) {
                        return null;
                    }
                    long[] entries = new long[n * 4];
                    for (int i = 0; i < entries.length; i++) {
                        entries[i] = in.readLong();
                    }
                    return new Message(kind, sender, owner, entries, 0, null);
                }
                case SYNC_REQUEST -> {
                    return new Message(kind, sender, null, null, in.readLong(), null);
                }
                case SYNC_DONE -> {
                    long id = in.readLong();
                    return new Message(kind, sender, null, null, id, new UUID(in.readLong(), in.readLong()));
                }
                default -> {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Secrets secrets, byte kind, UUID sender, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(kind);
            out.writeLong(sender.getMostSignificantBits());
            out.writeLong(sender.getLeastSignificantBits());
            body.write(out);
            out.flush();
            byte[] unsigned = bytes.toByteArray();
            out.write(secrets.mac(unsigned, 0, -1));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
