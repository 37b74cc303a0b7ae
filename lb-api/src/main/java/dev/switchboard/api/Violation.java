package dev.switchboard.api;

import java.util.Objects;

/**
 * One problem found in a configuration: where ({@code virtualServices[0].subServices[1].realServers[0].weight})
 * and what ({@code -1 (expected: 0..65535)}).
 *
 * @param path the field, as a path from the root of the model
 * @param message what is wrong, including the value that was given
 */
public record Violation(String path, String message) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
