package dev.switchboard.config;

import java.util.List;

/**
 * A configuration file that cannot be run. {@link #errors()} holds every problem found, each as
 * {@code path.to.field: what is wrong (got VALUE)}; the message joins them with new lines.
 */
public final class ConfigFileException extends RuntimeException {

    private final List<String> errors;

    public ConfigFileException(List<String> errors) {
        super(String.join(System.lineSeparator(), errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors: empty (expected: at least one)");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every problem, one line each, in file order. */
    public List<String> errors() {
        return errors;
    }
}
