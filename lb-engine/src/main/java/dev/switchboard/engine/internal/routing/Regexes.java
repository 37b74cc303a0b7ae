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

    /**
     * The literal text every match of {@code regex} must start the input with, or empty when there is none that is
     * certain: the pattern must begin with {@code ^} (no flags group, no top-level alternation), and the prefix
     * ends at the first metacharacter; a character that a quantifier ({@code ? * + {}) makes optional is left out.
     * Used to skip running the regex on inputs that cannot match.
     */
    public static String literalPrefix(String regex) {
        if (!regex.startsWith("^") || hasTopLevelAlternation(regex)) {
            return "";
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 1; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                if ((c == '?' || c == '*' || c == '+' || c == '{') && prefix.length() > 0) {
                    prefix.setLength(prefix.length() - 1); // the character before may repeat or be absent
                }
                break;
            }
            prefix.append(c);
        }
        return prefix.toString();
    }

    private static boolean hasTopLevelAlternation(String regex) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }
}
