package dev.switchboard.health.internal;

import dev.switchboard.api.Health;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a server's agent answered, as the probes read it: its health and its wishes. The API's
 * {@code dev.switchboard.health.AgentReport} is the same value; the probes use this one so that the internal package
 * needs nothing of the API package. The format is described there: one line of words ({@code N%}, {@code up},
 * {@code down}, {@code failed}, {@code stopped}, {@code drain}, {@code maint}, {@code ready}), {@code #} starts a
 * comment; anything else, two health words that disagree or an empty answer make it unreadable.
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
public record AgentAnswer(OptionalInt weightPercent, boolean drain, boolean maintenance, Optional<Health> health,
                          String text, boolean readable) {

    private static final int MAX_SHOWN = 64;

    public AgentAnswer {
        Objects.requireNonNull(weightPercent, "weightPercent");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(text, "text");
    }

    /** Parses an agent's answer; never throws. */
    public static AgentAnswer parse(String answer) {
        String text = Objects.requireNonNull(answer, "answer");
        int eol = text.indexOf('\n');
        text = eol >= 0 ? text.substring(0, eol) : text;
        text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        int comment = text.indexOf('#');
        String words = (comment >= 0 ? text.substring(0, comment) : text).trim();
        if (words.isEmpty()) {
            return unreadable(text);
        }
        OptionalInt weight = OptionalInt.empty();
        boolean drain = false;
        boolean maint = false;
        Health health = null;
        for (String word : words.split("[ \t,]+")) {
            String w = word.toLowerCase(Locale.ROOT);
            Health said = switch (w) {
                case "up" -> Health.UP;
                case "down", "failed", "stopped" -> Health.DOWN;
                default -> null;
            };
            if (said != null) {
                if (health != null && health != said) {
                    return unreadable(text);
                }
                health = said;
            } else if (w.equals("drain")) {
                drain = true;
            } else if (w.equals("maint")) {
                maint = true;
            } else if (w.equals("ready")) {
                continue;
            } else if (w.matches("[0-9]{1,3}%") && Integer.parseInt(w.substring(0, w.length() - 1)) <= 100) {
                weight = OptionalInt.of(Integer.parseInt(w.substring(0, w.length() - 1)));
            } else {
                return unreadable(text);
            }
        }
        return new AgentAnswer(weight, drain, maint, Optional.ofNullable(health), text, true);
    }

    private static AgentAnswer unreadable(String text) {
        return new AgentAnswer(OptionalInt.empty(), false, false, Optional.empty(), text, false);
    }

    /**
     * Whether the agent says it is ready to serve again ({@code ready} or {@code up}, without {@code drain} or
     * {@code maint}): this undoes a drain or maintenance that the agent asked for before.
     */
    public boolean asksReady() {
        if (!readable || drain || maintenance) {
            return false;
        }
        if (health.isPresent()) {
            return health.get() == Health.UP;
        }
        int comment = text.indexOf('#');
        for (String word : (comment >= 0 ? text.substring(0, comment) : text).trim().split("[ \t,]+")) {
            if (word.equalsIgnoreCase("ready")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the agent asked for anything beyond its health. */
    public boolean hasWishes() {
        return weightPercent.isPresent() || drain || maintenance;
    }

    /**
     * The reason logged and reported for this answer: {@code agent: up 50%}, or
     * {@code agent: unreadable answer (got "...")} with control characters escaped and long answers cut.
     */
    public String reason() {
        return readable ? "agent: " + shown(text) : "agent: unreadable answer (got \"" + shown(text) + "\")";
    }

    private static String shown(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < MAX_SHOWN; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 127) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() >= MAX_SHOWN ? sb + "..." : sb.toString();
    }
}
