package dev.switchboard.api;

import java.util.List;
import java.util.Objects;

/**
 * An ordered list of content rules combined with {@link Mode#ANY} (any one matches) or {@link Mode#ALL} (every
 * one matches). An empty list matches every request. Immutable.
 *
 * <pre>{@code ContentMatch.all(ContentRule.host(MatchType.EXACT, "mail.example.com"), ContentRule.pathPrefix("/owa"))}</pre>
 *
 * @param mode how the rules combine
 * @param rules the rules, in order
 */
public record ContentMatch(Mode mode, List<ContentRule> rules) {

    /** How the rules of a {@link ContentMatch} combine. */
    public enum Mode { ANY, ALL }

    /** Matches every request. */
    public static final ContentMatch ALWAYS = new ContentMatch(Mode.ANY, List.of());

    public ContentMatch {
        Objects.requireNonNull(mode, "mode");
        rules = List.copyOf(rules);
    }

    /** Matches when any rule matches. */
    public static ContentMatch any(ContentRule... rules) {
        return new ContentMatch(Mode.ANY, List.of(rules));
    }

    /** Matches when every rule matches. */
    public static ContentMatch all(ContentRule... rules) {
        return new ContentMatch(Mode.ALL, List.of(rules));
    }

    /** Whether this matches every request. */
    public boolean isAlways() {
        return rules.isEmpty();
    }

    void validate(String path, Problems problems) {
        for (int i = 0; i < rules.size(); i++) {
            rules.get(i).validate(path + "[" + i + "]", problems);
        }
    }
}
