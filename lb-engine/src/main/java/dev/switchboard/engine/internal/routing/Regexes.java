package dev.switchboard.engine.internal.routing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** Compiles user regular expressions on RE2J (linear time, no backtracking). */
public final class Regexes {

    private Regexes() {
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws IllegalArgumentException with RE2J's description when the syntax is not valid RE2
     */
    public static Pattern compile(String regex, boolean ignoreCase) {
        try {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + regex + "' is not a valid RE2 regular expression ("
                    + e.getDescription() + ")", e);
        }
    }
}
