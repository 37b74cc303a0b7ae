package dev.switchboard.api;

/**
 * When a virtual service's request rule runs relative to content switching. Both phases run before persistence and
 * scheduling, which read the request as these rules left it; a sub-service's own request rules run later, after the
 * server is chosen.
 */
public enum RulePhase {
    /** Before the sub-service is chosen (the default): rewrites take part in the choice. */
    BEFORE_MATCH,
    /**
     * After the sub-service is chosen, e.g. to strip a prefix for the backend; still before persistence keys are
     * read, so a rewrite here changes a {@code url-hash} key.
     */
    AFTER_MATCH
}
