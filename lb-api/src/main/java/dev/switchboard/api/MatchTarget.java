package dev.switchboard.api;

import java.util.Locale;

/** What part of a request a content rule looks at. */
public enum MatchTarget {
    /** The normalized path (optionally with the query string and/or the host included). */
    PATH,
    /** The host, lower-cased, without port and trailing dot. */
    HOST,
    /** The value of a named header; absent headers never match (unless negated). */
    HEADER,
    /** The raw query string, without the {@code ?}. */
    QUERY,
    /** The request method, e.g. {@code GET}. */
    METHOD,
    /** The client (source) address, matched against a CIDR block. */
    SOURCE;

    /** The configuration name, e.g. {@code path}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
