package dev.switchboard.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * One member's latest document on a {@link StatusBoard}, as this member knows it: read from local state, never
 * fetched. A live member that has published nothing yet (it just joined) has an empty document.
 *
 * <p>Immutable: the document is copied in and out.
 *
 * @param id       the member's id in the cluster (a restarted member has a new one)
 * @param address  the member's address, {@code host:port} as its peers reach it
 * @param alive    whether the member is in the cluster now; a member that left is kept for a while with
 *                 {@code alive == false} and its last document, then dropped
 * @param self     whether it is the member that answered
 * @param age      how long ago its latest document arrived here ({@link Duration#ZERO} when it has none)
 * @param document its latest document, empty when none arrived yet
 */
public record MemberStatus(UUID id, String address, boolean alive, boolean self, Duration age, byte[] document) {

    /** @throws NullPointerException for a null component */
    public MemberStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(age, "age");
        document = document.clone();
    }

    /** A copy of the document. */
    @Override
    public byte[] document() {
        return document.clone();
    }

    /** Whether a document of this member arrived. */
    public boolean hasDocument() {
        return document.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberStatus m && id.equals(m.id) && address.equals(m.address) && alive == m.alive
                && self == m.self && age.equals(m.age) && java.util.Arrays.equals(document, m.document);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, address, alive, self, age, java.util.Arrays.hashCode(document));
    }

    @Override
    public String toString() {
        return "MemberStatus[" + address + (alive ? ", alive" : ", gone") + (self ? ", self" : "") + ", age " + age
                + ", " + document.length + " bytes]";
    }
}
