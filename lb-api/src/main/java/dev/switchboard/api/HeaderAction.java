package dev.switchboard.api;

import java.util.Locale;

/** What a {@link HeaderRule} does. */
public enum HeaderAction {
    /** Rewrites the path: a regex with {@code $1}-style groups in the replacement. Request rules only. */
    REWRITE_PATH,
    /** Rewrites the host: a regex with {@code $1}-style groups in the replacement. Request rules only. */
    REWRITE_HOST,
    /** Sets a header, replacing every existing value. */
    SET_HEADER,
    /** Adds a header value, keeping existing ones. */
    ADD_HEADER,
    /** Removes every value of a header. */
    REMOVE_HEADER,
    /** Replaces what a regex matches within a header's value. */
    REPLACE_HEADER,
    /** Answers with a status (403 unless chosen) and forwards nothing. Request rules only. */
    DENY;

    /** The configuration name, e.g. {@code rewrite-path}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the action is allowed on responses. */
    public boolean appliesToResponses() {
        return this == SET_HEADER || this == ADD_HEADER || this == REMOVE_HEADER || this == REPLACE_HEADER;
    }
}
