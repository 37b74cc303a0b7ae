package dev.switchboard.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@code build()} (and by the engine when it compiles a model) with every violation found, each with
 * its path. The message lists them one per line.
 */
public final class ConfigurationException extends RuntimeException {

    private final List<Violation> violations;

    public ConfigurationException(List<Violation> violations) {
        super(format(violations));
        this.violations = List.copyOf(violations);
    }

    /** Every violation found, in model order. */
    public List<Violation> violations() {
        return violations;
    }

    private static String format(List<Violation> violations) {
        return violations.size() + " configuration problem" + (violations.size() == 1 ? "" : "s") + ":\n"
                + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
    }
}
