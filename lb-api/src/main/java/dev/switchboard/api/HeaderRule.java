package dev.switchboard.api;

import java.util.Objects;

/**
 * A modification of a request or a response: rewrite the path or host, set, add, remove or edit a header, or deny.
 * An optional {@link ContentMatch} limits it to matching requests. Immutable; {@link #afterMatch()} and
 * {@link #when(ContentMatch)} return copies.
 *
 * <pre>{@code
 * HeaderRule.rewritePath("^/$", "/owa")                 // runs before content switching
 * HeaderRule.rewritePath("^/api(/.*)$", "$1").afterMatch()
 * HeaderRule.setHeader("X-Gateway", "sb")
 * HeaderRule.deny(404).when(ContentMatch.any(ContentRule.pathPrefix("/ecp")))
 * }</pre>
 */
public final class HeaderRule {

    private final HeaderAction action;
    private final String header;
    private final String pattern;
    private final String value;
    private final int status;
    private final RulePhase phase;
    private final ContentMatch match;

    private HeaderRule(HeaderAction action, String header, String pattern, String value, int status, RulePhase phase,
            ContentMatch match) {
        this.action = Objects.requireNonNull(action, "action");
        this.header = Objects.requireNonNull(header, "header");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.value = Objects.requireNonNull(value, "value");
        this.status = status;
        this.phase = Objects.requireNonNull(phase, "phase");
        this.match = Objects.requireNonNull(match, "match");
    }

    private static HeaderRule of(HeaderAction action, String header, String pattern, String value, int status) {
        return new HeaderRule(action, header, pattern, value, status, RulePhase.BEFORE_MATCH, ContentMatch.ALWAYS);
    }

    /** Rewrites the path where {@code pattern} (RE2) matches; {@code replacement} may use {@code $1}. */
    public static HeaderRule rewritePath(String pattern, String replacement) {
        return of(HeaderAction.REWRITE_PATH, "", pattern, replacement, 0);
    }

    /** Rewrites the host where {@code pattern} (RE2) matches; {@code replacement} may use {@code $1}. */
    public static HeaderRule rewriteHost(String pattern, String replacement) {
        return of(HeaderAction.REWRITE_HOST, "", pattern, replacement, 0);
    }

    /** Sets {@code header} to {@code value}, replacing what was there. */
    public static HeaderRule setHeader(String header, String value) {
        return of(HeaderAction.SET_HEADER, header, "", value, 0);
    }

    /** Adds a value to {@code header}. */
    public static HeaderRule addHeader(String header, String value) {
        return of(HeaderAction.ADD_HEADER, header, "", value, 0);
    }

    /** Removes {@code header}. */
    public static HeaderRule removeHeader(String header) {
        return of(HeaderAction.REMOVE_HEADER, header, "", "", 0);
    }

    /** Replaces what {@code pattern} matches within the value of {@code header}; absent headers stay absent. */
    public static HeaderRule replaceHeader(String header, String pattern, String replacement) {
        return of(HeaderAction.REPLACE_HEADER, header, pattern, replacement, 0);
    }

    /** Answers 403 Forbidden. Combine with {@link #when(ContentMatch)}. */
    public static HeaderRule deny() {
        return deny(403);
    }

    /** Answers {@code status} (400..599). Combine with {@link #when(ContentMatch)}. */
    public static HeaderRule deny(int status) {
        return of(HeaderAction.DENY, "", "", "", status);
    }

    /** A copy that runs after the sub-service is chosen (virtual-service request rules only). */
    public HeaderRule afterMatch() {
        return new HeaderRule(action, header, pattern, value, status, RulePhase.AFTER_MATCH, match);
    }

    /** A copy that applies only to requests matching {@code condition}. */
    public HeaderRule when(ContentMatch condition) {
        return new HeaderRule(action, header, pattern, value, status, phase, condition);
    }

    public HeaderAction action() {
        return action;
    }

    /** The header name, empty for path/host rewrites and deny. */
    public String header() {
        return header;
    }

    /** The regular expression of rewrites and replace, else empty. */
    public String pattern() {
        return pattern;
    }

    /** The value to set/add, or the replacement of rewrites and replace. */
    public String value() {
        return value;
    }

    /** The status of a deny rule, else 0. */
    public int status() {
        return status;
    }

    public RulePhase phase() {
        return phase;
    }

    public ContentMatch match() {
        return match;
    }

    void validate(String path, boolean response, Problems problems) {
        if (response && !action.appliesToResponses()) {
            problems.add(path + ".action", action.configName()
                    + " (expected on responses: set-header, add-header, remove-header, replace-header)");
        }
        boolean namesHeader = action == HeaderAction.SET_HEADER || action == HeaderAction.ADD_HEADER
                || action == HeaderAction.REMOVE_HEADER || action == HeaderAction.REPLACE_HEADER;
        if (namesHeader && !Tokens.isToken(header)) {
            problems.add(path + ".header", "'" + header + "' (expected: a header name)");
        }
        if (!Tokens.isFieldValue(value)) {
            problems.add(path + ".value", "contains CR, LF or NUL (expected: a single-line value)");
        }
        boolean needsPattern = action == HeaderAction.REWRITE_PATH || action == HeaderAction.REWRITE_HOST
                || action == HeaderAction.REPLACE_HEADER;
        if (needsPattern && pattern.isEmpty()) {
            problems.add(path + ".pattern", "empty (expected: a regular expression)");
        }
        if (action == HeaderAction.DENY && (status < 400 || status > 599)) {
            problems.add(path + ".status", status + " (expected: 400..599)");
        }
        match.validate(path + ".match", problems);
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
        if (!(o instanceof HeaderRule other)) {
            return false;
        }
        return Objects.equals(action, other.action)
                && Objects.equals(header, other.header)
                && Objects.equals(pattern, other.pattern)
                && Objects.equals(value, other.value)
                && status == other.status
                && Objects.equals(phase, other.phase)
                && Objects.equals(match, other.match);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, header, pattern, value, status, phase, match);
    }

    @Override
    public String toString() {
        String what = switch (action) {
            case REWRITE_PATH, REWRITE_HOST -> " '" + pattern + "' -> '" + value + "'";
            case SET_HEADER, ADD_HEADER -> " " + header + ": " + value;
            case REMOVE_HEADER -> " " + header;
            case REPLACE_HEADER -> " " + header + " '" + pattern + "' -> '" + value + "'";
            case DENY -> " " + status;
        };
        return action.configName() + what + (phase == RulePhase.AFTER_MATCH ? " (after match)" : "");
    }
}
