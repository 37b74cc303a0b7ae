package dev.switchboard.api;

/** When a virtual service's request rule runs relative to content switching. */
public enum RulePhase {
    /** Before the sub-service is chosen (the default): rewrites take part in the choice. */
    BEFORE_MATCH,
    /** After the sub-service is chosen, e.g. to strip a prefix for the backend. */
    AFTER_MATCH
}
