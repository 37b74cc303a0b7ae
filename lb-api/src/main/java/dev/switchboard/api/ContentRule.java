package dev.switchboard.api;

import java.util.Objects;

/**
 * A match on a request: what to look at ({@link MatchTarget}), how to compare ({@link MatchType}), the value,
 * and the flags {@code ignoreCase} and {@code negate}. Immutable; the flag methods return a copy.
 *
 * <pre>{@code
 * ContentRule.path(MatchType.PREFIX, "/owa").ignoreCase()
 * ContentRule.header("User-Agent", MatchType.CONTAINS, "Outlook")
 * ContentRule.source("10.0.0.0/8").negate()
 * }</pre>
 *
 * <p>Values are checked when the model is built ({@link LoadBalancer.Builder#build()}) and regular expressions
 * when the engine compiles it, each problem reported with its path.
 */
public final class ContentRule {

    private final MatchTarget target;
    private final String header;
    private final MatchType type;
    private final String value;
    private final boolean ignoreCase;
    private final boolean negate;
    private final boolean includeQuery;
    private final boolean includeHost;

    private ContentRule(MatchTarget target, String header, MatchType type, String value, boolean ignoreCase,
            boolean negate, boolean includeQuery, boolean includeHost) {
        this.target = Objects.requireNonNull(target, "target");
        this.header = Objects.requireNonNull(header, "header");
        this.type = Objects.requireNonNull(type, "type");
        this.value = Objects.requireNonNull(value, "value");
        this.ignoreCase = ignoreCase;
        this.negate = negate;
        this.includeQuery = includeQuery;
        this.includeHost = includeHost;
    }

    /** A general rule; {@code header} is the header name for {@link MatchTarget#HEADER}, else empty. */
    public static ContentRule of(MatchTarget target, String header, MatchType type, String value) {
        return new ContentRule(target, header, type, value, false, false, false, false);
    }

    /** A rule on the normalized path. */
    public static ContentRule path(MatchType type, String value) {
        return of(MatchTarget.PATH, "", type, value);
    }

    /** A path prefix rule, the most common content rule. */
    public static ContentRule pathPrefix(String prefix) {
        return path(MatchType.PREFIX, prefix);
    }

    /** A rule on the host (always compared ignoring case, trailing dot and port). */
    public static ContentRule host(MatchType type, String value) {
        return of(MatchTarget.HOST, "", type, value).ignoreCase();
    }

    /** A rule on the value of the named header. */
    public static ContentRule header(String name, MatchType type, String value) {
        return of(MatchTarget.HEADER, name, type, value);
    }

    /** A rule on the raw query string. */
    public static ContentRule query(MatchType type, String value) {
        return of(MatchTarget.QUERY, "", type, value);
    }

    /** A rule on the method, compared exactly. */
    public static ContentRule method(String method) {
        return of(MatchTarget.METHOD, "", MatchType.EXACT, method);
    }

    /** A rule on the client address: a CIDR block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
    public static ContentRule source(String cidr) {
        return of(MatchTarget.SOURCE, "", MatchType.EXACT, cidr);
    }

    /** A copy that compares ignoring ASCII case. */
    public ContentRule ignoreCase() {
        return new ContentRule(target, header, type, value, true, negate, includeQuery, includeHost);
    }

    /** A copy whose result is inverted. */
    public ContentRule negate() {
        return new ContentRule(target, header, type, value, ignoreCase, true, includeQuery, includeHost);
    }

    /** A copy of a path rule whose subject is {@code path?query} (when a query is present). */
    public ContentRule includeQuery() {
        return new ContentRule(target, header, type, value, ignoreCase, negate, true, includeHost);
    }

    /** A copy of a path rule whose subject is {@code host/path}, the host normalized. */
    public ContentRule includeHost() {
        return new ContentRule(target, header, type, value, ignoreCase, negate, includeQuery, true);
    }

    public MatchTarget target() {
        return target;
    }

    /** The header name for {@link MatchTarget#HEADER} rules, else empty. */
    public String header() {
        return header;
    }

    public MatchType type() {
        return type;
    }

    public String value() {
        return value;
    }

    public boolean isIgnoreCase() {
        return ignoreCase;
    }

    public boolean isNegate() {
        return negate;
    }

    public boolean isIncludeQuery() {
        return includeQuery;
    }

    public boolean isIncludeHost() {
        return includeHost;
    }

    void validate(String path, Problems problems) {
        if (value.isEmpty() && type != MatchType.EXACT && type != MatchType.REGEX) {
            problems.add(path + ".value", "empty (expected: a non-empty " + type.configName() + " value)");
        }
        switch (target) {
            case HEADER -> {
                if (!Tokens.isToken(header)) {
                    problems.add(path + ".header", "'" + header + "' (expected: a header name)");
                }
            }
            case SOURCE -> {
                try {
                    Cidr.parse(value);
                } catch (IllegalArgumentException e) {
                    problems.add(path + ".value", "'" + value + "' (expected: a CIDR block such as 10.0.0.0/8)");
                }
            }
            case METHOD -> {
                if (type != MatchType.REGEX && !Tokens.isToken(value)) {
                    problems.add(path + ".value", "'" + value + "' (expected: a method such as GET)");
                }
            }
            case PATH -> {
                boolean literalPath = type == MatchType.EXACT || type == MatchType.PREFIX;
                if (literalPath && !includeHost && !value.startsWith("/")) {
                    problems.add(path + ".value", "'" + value + "' (expected: a path starting with /)");
                }
            }
            default -> { }
        }
        if ((includeQuery || includeHost) && target != MatchTarget.PATH) {
            problems.add(path, "includeQuery/includeHost apply to path rules only (got on: " + target.configName() + ")");
        }
    }

    /**
     * Equal when every setting is equal: the engine skips a reconfiguration whose model equals the one in
     * force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ContentRule other)) {
            return false;
        }
        return Objects.equals(target, other.target)
                && Objects.equals(header, other.header)
                && Objects.equals(type, other.type)
                && Objects.equals(value, other.value)
                && ignoreCase == other.ignoreCase
                && negate == other.negate
                && includeQuery == other.includeQuery
                && includeHost == other.includeHost;
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, header, type, value, ignoreCase, negate, includeQuery, includeHost);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(target.configName());
        if (target == MatchTarget.HEADER) {
            b.append('[').append(header).append(']');
        }
        b.append(' ').append(type.configName()).append(" '").append(value).append('\'');
        if (ignoreCase) {
            b.append(" ignoreCase");
        }
        if (negate) {
            b.append(" negate");
        }
        if (includeQuery) {
            b.append(" +query");
        }
        if (includeHost) {
            b.append(" +host");
        }
        return b.toString();
    }
}
