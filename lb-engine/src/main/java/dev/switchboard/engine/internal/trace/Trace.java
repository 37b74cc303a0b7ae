package dev.switchboard.engine.internal.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the steps of one dispatch for {@code explain}. The shared {@link #OFF} instance records nothing;
 * callers guard every message with {@link #enabled()} so an untraced dispatch builds no strings.
 */
public final class Trace {

    /** Records nothing. */
    public static final Trace OFF = new Trace(false);

    private final boolean enabled;
    private final List<String> steps;

    private Trace(boolean enabled) {
        this.enabled = enabled;
        this.steps = enabled ? new ArrayList<>() : List.of();
    }

    /** A trace that records; not thread-safe, for one dispatch. */
    public static Trace recording() {
        return new Trace(true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Records one step; call only when {@link #enabled()}. */
    public void step(String step) {
        if (enabled) {
            steps.add(step);
        }
    }

    /** The steps recorded, in order. */
    public List<String> steps() {
        return List.copyOf(steps);
    }
}
