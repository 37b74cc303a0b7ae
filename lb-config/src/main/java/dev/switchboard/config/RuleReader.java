package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderAction;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.RulePhase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads content rules ({@code match} lists) and header rules ({@code requestRules}, {@code responseRules}). A rule
 * with any problem is replaced by a harmless placeholder, so that the positions of the rules after it stay those
 * of the file when the model's own validation reports on them. Not thread-safe; one per read.
 */
final class RuleReader {

    static final Set<String> MATCH_KEYS = Set.of("on", "type", "value", "header", "ignoreCase", "negate",
            "includeQuery", "includeHost");
    static final Set<String> RULE_KEYS = Set.of("action", "pattern", "replacement", "header", "value", "status",
            "match", "matchMode", "phase");

    private static final Map<String, MatchTarget> TARGETS = Section.names(MatchTarget.values(),
            MatchTarget::configName);
    private static final Map<String, MatchType> TYPES = Section.names(MatchType.values(), MatchType::configName);
    private static final Map<String, ContentMatch.Mode> MODES = Map.of("any", ContentMatch.Mode.ANY,
            "all", ContentMatch.Mode.ALL);
    private static final Map<String, HeaderAction> ACTIONS = Section.names(HeaderAction.values(),
            HeaderAction::configName);
    private static final Map<String, HeaderAction> RESPONSE_ACTIONS = Section.names(new HeaderAction[] {
        HeaderAction.SET_HEADER, HeaderAction.ADD_HEADER, HeaderAction.REMOVE_HEADER, HeaderAction.REPLACE_HEADER},
            HeaderAction::configName);
    private static final Map<String, RulePhase> PHASES = Section.names(RulePhase.values(),
            p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));

    private static final ContentRule PLACEHOLDER_MATCH = ContentRule.pathPrefix("/");
    private static final HeaderRule PLACEHOLDER_RULE = HeaderRule.removeHeader("X-Placeholder");

    /** Where a list of header rules sits, which decides the actions and keys it may use. */
    enum Place { VIRTUAL_SERVICE_REQUEST, SUB_SERVICE_REQUEST, RESPONSE }

    private RuleReader() {
    }

    /**
     * The {@code match} list (and {@code matchMode}, {@code any} unless set) of {@code s}; {@link ContentMatch#ALWAYS}
     * when absent.
     */
    static ContentMatch match(Section s) {
        ContentMatch.Mode mode = s.choice("matchMode", MODES, ContentMatch.Mode.ANY);
        List<JsonNode> nodes = s.array("match");
        List<ContentRule> rules = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            rules.add(contentRule(nodes.get(i), s.path("match") + "[" + i + "]", s.errors()));
        }
        return new ContentMatch(mode, rules);
    }

    static ContentRule contentRule(JsonNode node, String path, ConfigErrors errors) {
        int before = errors.count();
        Section s = Section.find(node, path, errors, MATCH_KEYS).orElse(null);
        if (s == null) {
            return PLACEHOLDER_MATCH;
        }
        MatchTarget on = s.findRequiredChoice("on", TARGETS).orElse(MatchTarget.PATH);
        boolean literalOnly = on == MatchTarget.METHOD || on == MatchTarget.SOURCE;
        MatchType type = literalOnly && !s.has("type") ? MatchType.EXACT
                : s.findRequiredChoice("type", TYPES).orElse(MatchType.EXACT);
        if (on == MatchTarget.SOURCE && type != MatchType.EXACT) {
            s.problem("type", "expected exact (a source rule matches a CIDR block)");
        }
        String header = "";
        if (on == MatchTarget.HEADER) {
            header = s.requiredNonEmpty("header", "a header name");
        } else if (s.has("header")) {
            s.problem("header", "only allowed with \"on\": \"header\"");
        }
        String value = s.requiredString("value", "the value to compare with");
        if (type == MatchType.REGEX && s.raw("value").isTextual()) {
            regex(s, "value", value);
        }
        if (on == MatchTarget.SOURCE && s.raw("value").isTextual()) {
            Section.findCidr(s.raw("value"), s.path("value"), errors);
        }
        ContentRule rule = on == MatchTarget.HOST ? ContentRule.host(type, value)
                : ContentRule.of(on, header, type, value);
        rule = s.bool("ignoreCase", false) ? rule.ignoreCase() : rule;
        rule = s.bool("negate", false) ? rule.negate() : rule;
        rule = s.bool("includeQuery", false) ? rule.includeQuery() : rule;
        rule = s.bool("includeHost", false) ? rule.includeHost() : rule;
        return errors.count() == before ? rule : PLACEHOLDER_MATCH;
    }

    /** The header rules under {@code key} of {@code s}. */
    static List<HeaderRule> headerRules(Section s, String key, Place place) {
        List<JsonNode> nodes = s.array(key);
        List<HeaderRule> rules = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            rules.add(headerRule(nodes.get(i), s.path(key) + "[" + i + "]", s.errors(), place));
        }
        return rules;
    }

    static HeaderRule headerRule(JsonNode node, String path, ConfigErrors errors, Place place) {
        int before = errors.count();
        Section s = Section.find(node, path, errors, RULE_KEYS).orElse(null);
        if (s == null) {
            return PLACEHOLDER_RULE;
        }
        Optional<HeaderAction> action = s.findRequiredChoice("action", place == Place.RESPONSE ? RESPONSE_ACTIONS
                : ACTIONS);
        if (action.isEmpty()) {
            return PLACEHOLDER_RULE; // which keys belong is unknown without the action
        }
        HeaderRule rule = byAction(s, action.get());
        if (s.has("phase")) {
            if (place == Place.VIRTUAL_SERVICE_REQUEST) {
                rule = s.choice("phase", PHASES, RulePhase.BEFORE_MATCH) == RulePhase.AFTER_MATCH ? rule.afterMatch()
                        : rule;
            } else {
                s.problem("phase", "only allowed on a virtual service's requestRules (sub-service rules always run"
                        + " after selection, response rules after the response)");
            }
        }
        if (s.has("match") || s.has("matchMode")) {
            rule = rule.when(match(s));
        }
        return errors.count() == before ? rule : PLACEHOLDER_RULE;
    }

    private static HeaderRule byAction(Section s, HeaderAction action) {
        switch (action) {
            case REWRITE_PATH, REWRITE_HOST -> {
                onlyKeys(s, action, "pattern", "replacement");
                String pattern = regex(s, "pattern", s.requiredString("pattern", "a regular expression"));
                String replacement = s.requiredString("replacement", "the replacement, with $1-style groups");
                return action == HeaderAction.REWRITE_PATH ? HeaderRule.rewritePath(pattern, replacement)
                        : HeaderRule.rewriteHost(pattern, replacement);
            }
            case SET_HEADER, ADD_HEADER -> {
                onlyKeys(s, action, "header", "value");
                String header = s.requiredNonEmpty("header", "a header name");
                String value = s.requiredString("value", "the header value");
                return action == HeaderAction.SET_HEADER ? HeaderRule.setHeader(header, value)
                        : HeaderRule.addHeader(header, value);
            }
            case REMOVE_HEADER -> {
                onlyKeys(s, action, "header");
                return HeaderRule.removeHeader(s.requiredNonEmpty("header", "a header name"));
            }
            case REPLACE_HEADER -> {
                onlyKeys(s, action, "header", "pattern", "replacement");
                String header = s.requiredNonEmpty("header", "a header name");
                String pattern = regex(s, "pattern", s.requiredString("pattern", "a regular expression"));
                return HeaderRule.replaceHeader(header, pattern,
                        s.requiredString("replacement", "the replacement, with $1-style groups"));
            }
            default -> {
                onlyKeys(s, action, "status");
                return HeaderRule.deny(s.integer("status", 403, 400, 599));
            }
        }
    }

    /** Records the action-specific keys of {@code s} that {@code action} does not use. */
    private static void onlyKeys(Section s, HeaderAction action, String... used) {
        Set<String> allowed = Set.of(used);
        for (String key : List.of("pattern", "replacement", "header", "value", "status")) {
            if (s.has(key) && !allowed.contains(key)) {
                s.problem(key, "not used by action " + action.configName() + " (it takes "
                        + String.join(", ", used) + ")");
            }
        }
    }

    /** Records a problem when {@code regex} (the value of {@code key}) is not an RE2 regular expression. */
    static String regex(Section s, String key, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            s.problem(key, "bad regular expression: " + e.getDescription());
        }
        return regex;
    }
}
