package dev.switchboard.cluster.internal;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.spi.AdminStateChange;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.UUID;

/**
 * The admin-state messages, as signed byte arrays (no Java serialization) on the topic {@link #TOPIC}, and the
 * values of the cluster-wide map of current states: a header (kind, sender UUID), a body, and an HMAC-SHA256 tag
 * ({@link Secrets}). Kinds: a state (the map's value: stamp and change); a change an operator set (a state plus the
 * drain request's id, 0 when nobody waits, and the drain deadline); an acknowledgement (a member's answer to a drain
 * request: whether its leases reached zero). Stateless, thread-safe.
 */
public final class AdminWire {

    /** The topic every member listens on. */
    public static final String TOPIC = "switchboard.admin";

    static final byte STATE = 1;
    static final byte CHANGE = 2;
    static final byte ACK = 3;

    private static final AdminState[] STATES = AdminState.values();

    private AdminWire() {
    }

    /**
     * One decoded message; fields a kind does not use are zero, false or null.
     *
     * @param deadlineMillis how long the requester waits for the drain, from when it sent the change
     */
    record Message(byte kind, UUID sender, long stamp, AdminStateChange change, long requestId, long deadlineMillis,
            UUID requester, boolean drained) {
    }

    /** The map key of what {@code change} names: one server of one sub-service, or a server name host-wide. */
    static String key(AdminStateChange change) {
        return change.everySubService() ? "\n\n" + change.server()
                : change.virtualService() + "\n" + change.subService() + "\n" + change.server();
    }

    /** For log lines: {@code mail/owa/ex01 draining}, {@code ex01 (every sub-service) disabled}. */
    static String describe(AdminStateChange change) {
        return (change.everySubService() ? change.server() + " (every sub-service)"
                : change.virtualService() + "/" + change.subService() + "/" + change.server()) + " "
                + change.state().configName();
    }

    /** A current state, as the map keeps it. */
    static byte[] state(Secrets secrets, UUID sender, long stamp, AdminStateChange change) {
        return write(secrets, STATE, sender, out -> writeState(out, stamp, change));
    }

    /**
     * A change an operator set on {@code sender}; public for the tests that forge one.
     *
     * @param requestId the drain request's id, 0 when the sender waits for no answer
     */
    public static byte[] change(Secrets secrets, UUID sender, long stamp, AdminStateChange change, long requestId,
            long deadlineMillis) {
        return write(secrets, CHANGE, sender, out -> {
            writeState(out, stamp, change);
            out.writeLong(requestId);
            out.writeLong(deadlineMillis);
        });
    }

    /** A member's answer to drain request {@code requestId} of {@code requester}. */
    static byte[] ack(Secrets secrets, UUID sender, long requestId, UUID requester, boolean drained) {
        return write(secrets, ACK, sender, out -> {
            out.writeLong(requestId);
            out.writeLong(requester.getMostSignificantBits());
            out.writeLong(requester.getLeastSignificantBits());
            out.writeBoolean(drained);
        });
    }

    /** The message, or null when its tag does not verify or it is malformed. */
    static Message read(Secrets secrets, byte[] bytes) {
        if (bytes == null || !secrets.verify(bytes)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, 0, bytes.length - Secrets.TAG_BYTES))) {
            byte kind = in.readByte();
            UUID sender = new UUID(in.readLong(), in.readLong());
            switch (kind) {
                case STATE, CHANGE -> {
                    long stamp = in.readLong();
                    AdminStateChange change = readChange(in);
                    if (change == null) {
                        return null;
                    }
                    long requestId = kind == CHANGE ? in.readLong() : 0;
                    long deadline = kind == CHANGE ? in.readLong() : 0;
                    return new Message(kind, sender, stamp, change, requestId, deadline, null, false);
                }
                case ACK -> {
                    long requestId = in.readLong();
                    UUID requester = new UUID(in.readLong(), in.readLong());
                    return new Message(kind, sender, 0, null, requestId, 0, requester, in.readBoolean());
                }
                default -> {
                    return null;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeState(DataOutputStream out, long stamp, AdminStateChange change) throws IOException {
        out.writeLong(stamp);
        out.writeBoolean(change.everySubService());
        if (!change.everySubService()) {
            out.writeUTF(change.virtualService());
            out.writeUTF(change.subService());
        }
        out.writeUTF(change.server());
        out.writeByte(change.state().ordinal());
    }

    private static AdminStateChange readChange(DataInputStream in) throws IOException {
        boolean host = in.readBoolean();
        String vs = host ? null : in.readUTF();
        String sub = host ? null : in.readUTF();
        String server = in.readUTF();
        int state = in.readByte();
        if (state < 0 || state >= STATES.length) {
            return null;
        }
        return new AdminStateChange(vs, sub, server, STATES[state]);
    }

    private static byte[] write(Secrets secrets, byte kind, UUID sender, Secrets.Body body) {
        return secrets.signed(128, out -> {
            out.writeByte(kind);
            out.writeLong(sender.getMostSignificantBits());
            out.writeLong(sender.getLeastSignificantBits());
            body.write(out);
        });
    }
}
