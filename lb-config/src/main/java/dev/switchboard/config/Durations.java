package dev.switchboard.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses the durations of the gateway's configuration file: a whole number and a unit ({@code "250ms"},
 * {@code "2s"}, {@code "45m"}, {@code "1h"}), or ISO-8601 ({@code "PT45M"}, {@code "PT0.25S"}). Zero is allowed;
 * negative durations are not.
 *
 * <pre>{@code
 * Durations.parse("45m");     // PT45M
 * Durations.parse("PT2S");    // PT2S
 * Durations.parse("2 s");     // IllegalArgumentException: duration '2 s': unknown unit ' s' (expected: ...)
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Durations {

    /** What a duration looks like, for messages. */
    static final String EXPECTED = "a whole number with ms, s, m or h (\"250ms\", \"2s\", \"45m\", \"1h\")"
            + " or ISO-8601 (\"PT45M\")";

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it: empty, negative, an unknown
     *         unit, a number too large, or an ISO-8601 text that does not parse
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        Optional<String> problem = findProblem(text);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("duration '" + text + "': " + problem.get() + " (expected: "
                    + EXPECTED + ")");
        }
        return convert(text);
    }

    /** What is wrong with {@code text} as a duration, without repeating it; empty when it parses. */
    static Optional<String> findProblem(String text) {
        if (text.isEmpty()) {
            return Optional.of("empty");
        }
        if (text.startsWith("-") || text.startsWith("P-") || text.startsWith("PT-")) {
            return Optional.of("negative");
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return isoProblem(text);
        }
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0) {
            return Optional.of("no number");
        }
        String unit = text.substring(digits);
        if (unit.isEmpty()) {
            return Optional.of("no unit");
        }
        if (!unit.equals("ms") && !unit.equals("s") && !unit.equals("m") && !unit.equals("h")) {
            return Optional.of("unknown unit '" + unit + "'");
        }
        try {
            convert(text);
            return Optional.empty();
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.of("too large");
        }
    }

    private static Optional<String> isoProblem(String text) {
        try {
            Duration d = Duration.parse(text);
            return d.isNegative() ? Optional.of("negative") : Optional.empty();
        } catch (DateTimeParseException e) {
            Throwable cause = e.getCause();
            boolean overflow = cause instanceof ArithmeticException || cause instanceof NumberFormatException;
            return Optional.of(overflow ? "too large" : "not ISO-8601");
        }
    }

    private static Duration convert(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofSeconds(Math.multiplyExact(n, 60L));
            default -> Duration.ofSeconds(Math.multiplyExact(n, 3600L));
        };
    }

    /** The shortest configuration text for {@code d}: {@code 45m}, {@code 2s}, {@code 250ms}, else ISO-8601. */
    public static String format(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            return d.toString();
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
