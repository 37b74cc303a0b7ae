package dev.switchboard.api;

import java.util.Objects;

/**
 * One change the host must make to a request's or response's headers, in order.
 *
 * @param op what to do
 * @param name the header name
 * @param value the value for {@link Op#SET} and {@link Op#ADD}; empty for {@link Op#REMOVE}
 */
public record HeaderEdit(Op op, String name, String value) {

    /** What a {@link HeaderEdit} does. */
    public enum Op {
        /** Replace every value of the header with this one. */
        SET,
        /** Add this value, keeping the others. */
        ADD,
        /** Remove every value of the header. */
        REMOVE
    }

    public HeaderEdit {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static HeaderEdit set(String name, String value) {
        return new HeaderEdit(Op.SET, name, value);
    }

    public static HeaderEdit add(String name, String value) {
        return new HeaderEdit(Op.ADD, name, value);
    }

    public static HeaderEdit remove(String name) {
        return new HeaderEdit(Op.REMOVE, name, "");
    }
}
