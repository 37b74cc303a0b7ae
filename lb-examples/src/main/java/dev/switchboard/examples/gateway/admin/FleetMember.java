package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * One member of a fleet as the admin API shows it, with its latest {@code GET /api/stats} document. Immutable: the
 * document is copied in and out.
 *
 * @param name     the member's address, {@code host:port}, as its peers reach it
 * @param alive    whether it is in the cluster now (a member that left is listed for a while, not summed)
 * @param self     whether it is the member answering
 * @param age      how long ago its document arrived
 * @param document its stats document (the JSON of {@code GET /api/stats}, UTF-8), empty when none arrived yet
 */
public record FleetMember(String name, boolean alive, boolean self, Duration age, byte[] document) {

    /** @throws NullPointerException for a null component */
    public FleetMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(age, "age");
        document = document.clone();
    }

    /** A copy of the document. */
    @Override
    public byte[] document() {
        return document.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetMember m && name.equals(m.name) && alive == m.alive && self == m.self
                && age.equals(m.age) && java.util.Arrays.equals(document, m.document);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, alive, self, age, java.util.Arrays.hashCode(document));
    }

    @Override
    public String toString() {
        return "FleetMember[" + name + (alive ? ", alive" : ", gone") + (self ? ", self" : "") + ", age " + age
                + ", " + document.length + " bytes]";
    }
}
