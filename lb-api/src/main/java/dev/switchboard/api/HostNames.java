package dev.switchboard.api;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The syntax of a virtual service's host name patterns: an exact DNS name ({@code owa.example.test}) or a wildcard
 * whose first label is {@code *} ({@code *.example.test}, matching any name below {@code example.test}, at any
 * depth, but not {@code example.test} itself). Compared in lower case; a trailing dot is dropped.
 */
final class HostNames {

    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /** The name as it is compared: lower case, without a trailing dot. */
    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Records a problem at {@code path[i]} for every bad or repeated pattern of {@code names}. */
    static void validate(String path, List<String> names, Problems problems) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String p = path + "[" + i + "]";
            String wrong = whatIsWrong(name);
            if (wrong != null) {
                problems.add(p, "\"" + name + "\" " + wrong + " (expected: a DNS name such as owa.example.test,"
                        + " or *. followed by one such as *.example.test)");
                continue;
            }
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                problems.add(p, "\"" + name + "\" is listed twice (also " + path + "[" + first + "])");
            }
        }
    }

    /** What is wrong with a normalized pattern, or null when nothing is. */
    private static String whatIsWrong(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        String rest = name;
        if (name.startsWith("*.")) {
            rest = name.substring(2);
        }
        if (rest.indexOf('*') >= 0) {
            return "has a wildcard that is not the whole first label";
        }
        String[] labels = rest.split("\\.", -1);
        for (String label : labels) {
            String wrong = labelProblem(label);
            if (wrong != null) {
                return wrong;
            }
        }
        return null;
    }

    private static String labelProblem(String label) {
        if (label.isEmpty()) {
            return "has an empty label";
        }
        if (label.length() > MAX_LABEL) {
            return "has a label longer than " + MAX_LABEL + " characters";
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            return "has a label that starts or ends with '-'";
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                return "has the character '" + c + "'";
            }
        }
        return null;
    }
}
