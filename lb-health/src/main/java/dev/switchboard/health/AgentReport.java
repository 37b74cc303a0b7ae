package dev.switchboard.health;

import dev.switchboard.api.Health;
import dev.switchboard.health.internal.AgentAnswer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a server's agent answered: its health and its wishes (a weight percentage, drain, maintenance). The
 * {@link HealthChecker} applies the health itself (as a probe success or failure), sends the wishes to its sink
 * ({@link dev.switchboard.api.spi.HealthSink#setAgentWishes}: the engine scales the server's weight in that
 * sub-service, drains it or takes it out of service) and reports each new answer to
 * {@link HealthListener#onAgentReport}.
 *
 * <p>The answer is one line of words separated by spaces, tabs or commas; text after {@code #} is a comment.
 * Words: {@code N%} (0..100, the weight as a percentage of the configured one), {@code up}, {@code down} (also
 * {@code failed}, {@code stopped}), {@code drain}, {@code maint}, {@code ready} (neither drain nor maint). For
 * example {@code up 50%}, {@code drain}, {@code 75% # busy}. Any other word, two health words that disagree, or an
 * empty answer make the report unreadable: no wishes, {@link #readable()} false.
 *
 * <pre>{@code
 * AgentReport r = AgentReport.parse("up 50%");
 * r.weightPercent();   // OptionalInt[50]
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #parse} never throws on any input.
 *
 * @param weightPercent the wished weight, 0..100 percent, if any
 * @param drain whether the server asks to receive no new sessions
 * @param maintenance whether the server asks to be taken out of service
 * @param health the health it reports, if any
 * @param text the answer as received (the line, without its line break)
 * @param readable whether the answer could be read
 */
public record AgentReport(OptionalInt weightPercent, boolean drain, boolean maintenance, Optional<Health> health,
                          String text, boolean readable) {

    public AgentReport {
        Objects.requireNonNull(weightPercent, "weightPercent");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(text, "text");
    }

    /** Parses an agent's answer; never throws. */
    public static AgentReport parse(String answer) {
        return of(AgentAnswer.parse(answer));
    }

    /** The same value as the probes' {@code answer}. */
    static AgentReport of(AgentAnswer answer) {
        return new AgentReport(answer.weightPercent(), answer.drain(), answer.maintenance(), answer.health(),
                answer.text(), answer.readable());
    }

    private AgentAnswer answer() {
        return new AgentAnswer(weightPercent, drain, maintenance, health, text, readable);
    }

    /**
     * Whether the agent says it is ready to serve again ({@code ready} or {@code up}, without {@code drain} or
     * {@code maint}): this undoes a drain or maintenance that the agent asked for before.
     */
    public boolean asksReady() {
        return answer().asksReady();
    }

    /** Whether the agent asked for anything beyond its health. */
    public boolean hasWishes() {
        return answer().hasWishes();
    }

    /**
     * The reason logged and reported for this answer: {@code agent: up 50%}, or
     * {@code agent: unreadable answer (got "...")} with control characters escaped and long answers cut.
     */
    public String reason() {
        return answer().reason();
    }
}
