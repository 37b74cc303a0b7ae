package dev.switchboard.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects violations while a model is validated, tracking the current path. Not thread-safe; one per
 * validation. Package-private: the sibling modules collect a {@code List<Violation>} and throw a
 * {@link ConfigurationException} through the public API.
 */
final class Problems {

    private final List<Violation> violations = new ArrayList<>();

    /** Records a problem at {@code path}. */
    void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    /** Throws a {@link ConfigurationException} listing everything recorded, if anything was. */
    void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new ConfigurationException(violations);
        }
    }
}
