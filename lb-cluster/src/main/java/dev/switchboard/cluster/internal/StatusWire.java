package dev.switchboard.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.UUID;

/**
 * The status board's one message, as a signed byte array (no Java serialization): a kind byte, the sender's UUID,
 * the board's name, a sequence number (a receiver keeps only a newer one), the sender's address, the document, and
 * an HMAC-SHA256 tag ({@link Secrets}). Stateless, thread-safe.
 */
final class StatusWire {

    static final byte STATUS = 0x53;

    private StatusWire() {
    }

    /** One decoded document. */
    record Status(UUID sender, String board, long sequence, String address, byte[] document) {
    }

    static byte[] write(Secrets secrets, UUID sender, String board, long sequence, String address, byte[] document) {
        return secrets.signed(document.length + 128, out -> {
            out.writeByte(STATUS);
            out.writeLong(sender.getMostSignificantBits());
            out.writeLong(sender.getLeastSignificantBits());
            out.writeUTF(board);
            out.writeLong(sequence);
            out.writeUTF(address);
            out.writeInt(document.length);
            out.write(document);
        });
    }

    /** The document, or null when the tag does not verify, it is malformed, or it is for another board. */
    static Status read(Secrets secrets, String board, byte[] bytes, int maxDocument) {
        if (bytes == null || !secrets.verify(bytes)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, 0, bytes.length - Secrets.TAG_BYTES))) {
            if (in.readByte() != STATUS) {
                return null;
            }
            UUID sender = new UUID(in.readLong(), in.readLong());
            String name = in.readUTF();
            long sequence = in.readLong();
            String address = in.readUTF();
            int n = in.readInt();
            if (!name.equals(board) || n < 0 || n > maxDocument || n > bytes.length) {
                return null;
            }
            byte[] document = new byte[n];
            in.readFully(document);
            return in.available() == 0 ? new Status(sender, name, sequence, address, document) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
