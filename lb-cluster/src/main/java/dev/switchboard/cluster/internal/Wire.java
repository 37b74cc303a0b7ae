package dev.switchboard.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * The replication messages, as signed byte arrays on one Hazelcast topic (no Java serialization): a header (kind,
 * sender UUID, the sender's message sequence number), a body, and an HMAC-SHA256 tag ({@link Secrets}). Kinds: a
 * batch of one owner's writes and removals ({@link #BATCH}, 32 bytes an entry); real servers removed from an
 * owner's pools ({@link #SERVERS_REMOVED}, 24 bytes a server); a request for a snapshot, from a joining member or
 * one that missed messages ({@link #SYNC_REQUEST}, to every member or one); the end of a snapshot
 * ({@link #SYNC_DONE}, after the snapshot's batches on the same topic, so per-publisher ordering delivers it last);
 * a heartbeat that carries only the sequence number ({@link #TICK}), so a receiver notices messages it missed.
 * Stateless, thread-safe.
 */
final class Wire {

    static final byte BATCH = 1;
    static final byte SYNC_REQUEST = 2;
    static final byte SYNC_DONE = 3;
    static final byte SERVERS_REMOVED = 4;
    static final byte TICK = 5;
    /** The target of a snapshot request that every member answers. */
    static final UUID EVERY_MEMBER = new UUID(0, 0);

    private Wire() {
    }

    /**
     * One decoded message; fields unused by a kind are zero or null. {@code entries}: key, server, stamp, age for a
     * batch; server, stamp, age for removed servers. {@code member}: the requester of a snapshot that ends, or the
     * member asked for one.
     */
    record Message(byte kind, UUID sender, long seq, String owner, long[] entries, long requestId, UUID member) {
    }

    static byte[] batch(Secrets secrets, UUID sender, long seq, String owner, List<Entry> entries, List<Long> ages) {
        return write(secrets, BATCH, sender, seq, out -> {
            out.writeUTF(owner);
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

    /** @param removals server, stamp, age (nanoseconds since the removal), for each removed server */
    static byte[] serversRemoved(Secrets secrets, UUID sender, long seq, String owner, long[] removals) {
        return write(secrets, SERVERS_REMOVED, sender, seq, out -> {
            out.writeUTF(owner);
            out.writeInt(removals.length / 3);
            for (long v : removals) {
                out.writeLong(v);
            }
        });
    }

    /** @param target the member asked, or {@link #EVERY_MEMBER} */
    static byte[] syncRequest(Secrets secrets, UUID sender, long seq, long requestId, UUID target) {
        return write(secrets, SYNC_REQUEST, sender, seq, out -> {
            out.writeLong(requestId);
            writeUuid(out, target);
        });
    }

    static byte[] syncDone(Secrets secrets, UUID sender, long seq, long requestId, UUID requester) {
        return write(secrets, SYNC_DONE, sender, seq, out -> {
            out.writeLong(requestId);
            writeUuid(out, requester);
        });
    }

    static byte[] tick(Secrets secrets, UUID sender, long seq) {
        return write(secrets, TICK, sender, seq, out -> {
        });
    }

    /**
     * Whether {@code bytes} names {@code member} as its sender, read without verifying the tag: for dropping this
     * member's own messages (a topic delivers them back) before the cost of verifying and decoding them. A forged
     * message that names the receiver is dropped as well, as it would be after verifying.
     */
    static boolean isFrom(byte[] bytes, UUID member) {
        return bytes.length >= 17 && readLong(bytes, 1) == member.getMostSignificantBits()
                && readLong(bytes, 9) == member.getLeastSignificantBits();
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** The message, or null when its tag does not verify or it is malformed. */
    static Message read(Secrets secrets, byte[] bytes) {
        if (!secrets.verify(bytes)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, 0, bytes.length - Secrets.TAG_BYTES))) {
            byte kind = in.readByte();
            UUID sender = readUuid(in);
            long seq = in.readLong();
            return switch (kind) {
                case BATCH -> longs(in, kind, sender, seq, 4, bytes.length);
                case SERVERS_REMOVED -> longs(in, kind, sender, seq, 3, bytes.length);
                case SYNC_REQUEST, SYNC_DONE -> new Message(kind, sender, seq, null, null, in.readLong(),
                        readUuid(in));
                case TICK -> new Message(kind, sender, seq, null, null, 0, null);
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }

    private static Message longs(DataInputStream in, byte kind, UUID sender, long seq, int per, int length)
            throws IOException {
        String owner = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > length / (8 * per)) {
            return null;
        }
        long[] values = new long[n * per];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return new Message(kind, sender, seq, owner, values, 0, null);
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static byte[] write(Secrets secrets, byte kind, UUID sender, long seq, Secrets.Body body) {
        return secrets.signed(256, out -> {
            out.writeByte(kind);
            writeUuid(out, sender);
            out.writeLong(seq);
            body.write(out);
        });
    }
}
