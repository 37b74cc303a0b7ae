package dev.switchboard.engine.internal.rewrite;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.switchboard.api.HeaderAction;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.ResponseView;
import dev.switchboard.engine.internal.routing.CompiledMatch;
import dev.switchboard.engine.internal.routing.Regexes;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.InetAddress;
import java.util.Locale;

/**
 * One compiled header rule. Path and host rewrites replace the first match of the pattern; replace-header replaces
 * every match within the value. Immutable and thread-safe.
 */
public final class CompiledHeaderRule {

    private final HeaderRule rule;
    private final CompiledMatch condition;
    private final Pattern pattern;
    private final HeaderEdit constantEdit;
    private final String lowerHeader;

    private CompiledHeaderRule(HeaderRule rule, CompiledMatch condition, Pattern pattern, HeaderEdit constantEdit) {
        this.rule = rule;
        this.lowerHeader = rule.header().toLowerCase(Locale.ROOT); // the engine asks hosts with lower-case names
        this.condition = condition;
        this.pattern = pattern;
        this.constantEdit = constantEdit;
    }

    /**
     * Compiles a rule.
     *
     * @throws IllegalArgumentException when a regular expression is not valid RE2
     */
    public static CompiledHeaderRule compile(HeaderRule rule) {
        Pattern pattern = rule.pattern().isEmpty() ? null : Regexes.compile(rule.pattern(), false);
        HeaderEdit edit = switch (rule.action()) {
            case SET_HEADER -> HeaderEdit.set(rule.header(), rule.value());
            case ADD_HEADER -> HeaderEdit.add(rule.header(), rule.value());
            case REMOVE_HEADER -> HeaderEdit.remove(rule.header());
            default -> null;
        };
        return new CompiledHeaderRule(rule, CompiledMatch.compile(rule.match()), pattern, edit);
    }

    public HeaderRule rule() {
        return rule;
    }

    /** Whether the rule has a condition (a match list). */
    public boolean isConditional() {
        return condition != CompiledMatch.ALWAYS;
    }

    /**
     * Whether the rule's condition holds for the request in its current (rewritten) form.
     *
     * @param client the client address behind trusted proxies, or null when it could not be resolved
     */
    public boolean applies(RequestView request, String path, String host, InetAddress client, Trace trace) {
        return condition.matches(request, path, host, client, trace);
    }

    /**
     * Applies the rule to a request in {@code rewrite}; the caller has checked {@link #applies}.
     *
     * @return false when it is a deny rule (the request must be answered with {@code rule().status()})
     */
    public boolean applyToRequest(RequestRewrite rewrite, Trace trace) {
        HeaderAction action = rule.action();
        switch (action) {
            case DENY -> {
                return false;
            }
            case REWRITE_PATH -> {
                Matcher m = pattern.matcher(rewrite.path());
                if (!m.find()) {
                    return true;
                }
                rewrite.path(m.replaceFirst(rule.value()));
            }
            case REWRITE_HOST -> {
                Matcher m = pattern.matcher(rewrite.host());
                if (!m.find()) {
                    return true;
                }
                rewrite.host(m.replaceFirst(rule.value()));
            }
            case REPLACE_HEADER -> {
                String current = rewrite.header(lowerHeader);
                if (current != null) {
                    rewrite.edit(HeaderEdit.set(rule.header(), pattern.matcher(current).replaceAll(rule.value())));
                }
            }
            default -> rewrite.edit(constantEdit);
        }
        if (trace.enabled()) {
            trace.step("request rule " + rule + " applied");
        }
        return true;
    }

    /** The edit this rule makes to a response, or null when it makes none (replace on an absent header). */
    public HeaderEdit responseEdit(ResponseView response) {
        if (rule.action() != HeaderAction.REPLACE_HEADER) {
            return constantEdit;
        }
        String current = response.header(rule.header());
        return current == null ? null
                : HeaderEdit.set(rule.header(), pattern.matcher(current).replaceAll(rule.value()));
    }

    @Override
    public String toString() {
        return rule.toString();
    }
}
