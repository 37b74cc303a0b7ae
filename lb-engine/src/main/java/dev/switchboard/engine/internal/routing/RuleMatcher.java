package dev.switchboard.engine.internal.routing;

import com.google.re2j.Pattern;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.RequestView;
import java.net.InetAddress;
import java.util.Locale;

/**
 * One compiled content rule. Immutable and thread-safe; {@link #matches} allocates nothing except for regex
 * rules (RE2J's matcher) and path rules that include the query or host.
 */
public final class RuleMatcher {

    private final ContentRule rule;
    private final MatchTarget target;
    private final MatchType type;
    private final String header;
    private final String value;
    private final boolean ignoreCase;
    private final boolean negate;
    private final Pattern regex;
    /** What a regex match must start with (see {@link Regexes#literalPrefix}); empty when unknown. */
    private final String regexPrefix;
    private final Cidr cidr;

    private RuleMatcher(ContentRule rule, Pattern regex, Cidr cidr, String value) {
        this.rule = rule;
        this.target = rule.target();
        this.type = rule.type();
        this.header = rule.header().toLowerCase(Locale.ROOT); // the engine asks hosts with lower-case names
        this.value = value;
        // host values are lower-cased at compile time and hosts are normalized to lower case: compare exactly
        this.ignoreCase = rule.target() == MatchTarget.HOST ? rule.type() == MatchType.REGEX : rule.isIgnoreCase();
        this.negate = rule.isNegate();
        this.regex = regex;
        this.regexPrefix = regex == null ? "" : Regexes.literalPrefix(rule.value());
        this.cidr = cidr;
    }

    /**
     * Compiles a rule.
     *
     * @throws IllegalArgumentException when its regular expression is not valid RE2 syntax
     */
    public static RuleMatcher compile(ContentRule rule) {
        Pattern regex = null;
        if (rule.type() == MatchType.REGEX) {
            regex = Regexes.compile(rule.value(), rule.isIgnoreCase() || rule.target() == MatchTarget.HOST);
        }
        Cidr cidr = rule.target() == MatchTarget.SOURCE ? Cidr.parse(rule.value()) : null;
        String value = rule.value();
        if (rule.target() == MatchTarget.HOST && rule.type() != MatchType.REGEX) {
            value = value.toLowerCase(Locale.ROOT);
            if ((rule.type() == MatchType.EXACT || rule.type() == MatchType.SUFFIX) && value.endsWith(".")) {
                value = value.substring(0, value.length() - 1);
            }
        }
        return new RuleMatcher(rule, regex, cidr, value);
    }

    /** The rule this was compiled from. */
    public ContentRule rule() {
        return rule;
    }

    /**
     * Whether the request matches.
     *
     * @param request the request
     * @param path the normalized (and possibly rewritten) path
     * @param host the normalized (and possibly rewritten) host, empty when absent
     * @param client the client address behind trusted proxies, or null when it could not be resolved: then a
     *     {@code source} rule does not hold, so a positive one does not match (an ACL does not open on garbage)
     *     and a negated one does
     */
    public boolean matches(RequestView request, String path, String host, InetAddress client) {
        return test(request, path, host, client) != negate;
    }

    private boolean test(RequestView request, String path, String host, InetAddress client) {
        return switch (target) {
            case PATH -> compare(pathSubject(request, path, host));
            case HOST -> compare(host);
            case QUERY -> compare(request.query());
            case METHOD -> compare(request.method());
            case HEADER -> {
                String v = request.header(header);
                yield v != null && compare(v);
            }
            case SOURCE -> client != null && cidr.contains(client);
        };
    }

    private String pathSubject(RequestView request, String path, String host) {
        if (rule.isIncludeHost()) {
            path = host + path;
        }
        if (rule.isIncludeQuery()) {
            String q = request.query();
            if (!q.isEmpty()) {
                path = path + '?' + q;
            }
        }
        return path;
    }

    private boolean compare(String subject) {
        return switch (type) {
            case EXACT -> ignoreCase
                    ? subject.length() == value.length() && Ascii.regionMatchesIgnoreCase(subject, 0, value, 0,
                            value.length())
                    : subject.equals(value);
            case PREFIX -> ignoreCase ? Ascii.regionMatchesIgnoreCase(subject, 0, value, 0, value.length())
                    : subject.startsWith(value);
            case SUFFIX -> ignoreCase
                    ? Ascii.regionMatchesIgnoreCase(subject, subject.length() - value.length(), value, 0,
                            value.length())
                    : subject.endsWith(value);
            case CONTAINS -> contains(subject);
            case REGEX -> mayMatch(subject) && regex.matcher(subject).find();
        };
    }

    /**
     * Whether the subject starts with the regex's literal prefix; ignoring case, a non-ASCII character on either side
     * leaves it to the regex (Unicode case folding: {@code k} matches the Kelvin sign).
     */
    private boolean mayMatch(String subject) {
        int n = regexPrefix.length();
        if (subject.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char x = subject.charAt(i);
            char y = regexPrefix.charAt(i);
            if (x == y) {
                continue;
            }
            if (ignoreCase && (x | y) >= 0x80) {
                return true; // Unicode case folding: the regex decides
            }
            if (!ignoreCase || Ascii.lower(x) != Ascii.lower(y)) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(String subject) {
        if (!ignoreCase) {
            return subject.contains(value);
        }
        int last = subject.length() - value.length();
        for (int i = 0; i <= last; i++) {
            if (Ascii.regionMatchesIgnoreCase(subject, i, value, 0, value.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The literal text the path must start with (ASCII case aside) for this rule to hold, or empty when there is
     * none that is certain: a positive path rule on the path alone or with the query (not with the host), exact or
     * prefix (its value) or a regular expression with a {@link Regexes#literalPrefix literal prefix}. For
     * {@link PathPrefixFilter}, which treats a prefix with a non-ASCII character as none.
     */
    String requiredPathPrefix() {
        if (negate || target != MatchTarget.PATH || rule.isIncludeHost()) {
            return "";
        }
        return switch (type) {
            case EXACT, PREFIX -> value;
            case REGEX -> regexPrefix;
            case SUFFIX, CONTAINS -> "";
        };
    }

    /** Whether this rule can go into a {@link LiteralIndex}: a positive, plain path exact or prefix. */
    boolean isIndexable() {
        return target == MatchTarget.PATH && (type == MatchType.EXACT || type == MatchType.PREFIX) && !negate
                && !rule.isIncludeHost() && !rule.isIncludeQuery();
    }

    boolean isPrefix() {
        return type == MatchType.PREFIX;
    }

    boolean isIgnoreCase() {
        return ignoreCase;
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return rule.toString();
    }
}
