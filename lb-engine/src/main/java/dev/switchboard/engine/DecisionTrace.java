package dev.switchboard.engine;

import dev.switchboard.api.Decision;
import java.util.List;

/**
 * What {@link DispatchEngine#explain} found: every step of the way of the request, and the decision it would
 * have made. The decision holds no slot: releasing it does nothing.
 *
 * @param steps the steps, in the order they ran
 * @param decision the decision
 */
public record DecisionTrace(List<String> steps, Decision decision) {

    public DecisionTrace {
        steps = List.copyOf(steps);
    }

    @Override
    public String toString() {
        return String.join("\n", steps) + "\n=> " + decision;
    }
}
