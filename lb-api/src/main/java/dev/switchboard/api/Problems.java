package dev.switchboard.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects violations while a model is validated, tracking the current path. Not thread-safe; one per
 * validation.
 */
public final class Problems {

    private final List<Violation> violations = new ArrayList<>();

    /** Records a problem at {@code path}. */
    public void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    /** Whether nothing has been recorded. */
    public boolean isEmpty() {
        return violations.isEmpty();
    }

    /** What has been recorded so far. */
    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Throws a {@link ConfigurationException} listing everything recorded, if anything was. */
    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new ConfigurationException(violations);
        }
    }
}
