package dev.switchboard.api.internal;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects violations while a model is validated, tracking the current path. Not thread-safe; one per
 * validation.
 *
 * <p>Not API: public only so that lb-engine, lb-tls and lb-health validate the way lb-api does. On the module path
 * this package is exported to those modules alone; on the class path it may change without notice.
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
