package dev.switchboard.health.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.api.HealthCheck;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled RE2J body patterns of HTTP checks, made once per pattern text and shared by every probe that uses it
 * (the model's {@link HealthCheck} holds only the text, as lb-api has no regular-expression engine of its own).
 * Thread-safe; at most {@value #MAX_PATTERNS} patterns are kept, beyond that the cache starts afresh.
 */
public final class BodyPatterns {

    static final int MAX_PATTERNS = 1_024;
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private BodyPatterns() {
    }

    /**
     * Whether {@code body} contains a match of the check's body pattern (true when it has none).
     *
     * @throws PatternSyntaxException when the pattern is not valid RE2J (a check not validated by the checker)
     */
    public static boolean matches(HealthCheck check, CharSequence body) {
        return check.bodyPattern().isEmpty() || compiled(check.bodyPattern()).matcher(body).find();
    }

    /**
     * The compiled pattern.
     *
     * @throws PatternSyntaxException when {@code regex} is not valid RE2J
     */
    public static Pattern compiled(String regex) {
        Pattern p = COMPILED.get(regex);
        if (p == null) {
            p = Pattern.compile(regex);
            if (COMPILED.size() >= MAX_PATTERNS) {
                COMPILED.clear();
            }
            COMPILED.put(regex, p);
        }
        return p;
    }
}
