package dev.switchboard.api;

import java.util.Locale;

/** How a content rule compares its value with the subject. */
public enum MatchType {
    EXACT,
    PREFIX,
    SUFFIX,
    CONTAINS,
    /** An RE2 regular expression (linear time), searched anywhere in the subject; anchor it with {@code ^}/{@code $}. */
    REGEX;

    /** The configuration name, e.g. {@code prefix}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
