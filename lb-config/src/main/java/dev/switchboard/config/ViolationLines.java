package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the violations of the fluent API's {@code build()} methods into the file's error lines: the violation's
 * path is the path in the file (the file maps onto the model one to one), its message
 * ({@code -1 (expected: 0..65535)}) becomes {@code expected 0..65535}, and the value is the one found at that path
 * in the file. Once {@link #coverReaderProblems()} is called, a violation at or under a path where the reader
 * already found a problem is left out: it is the same problem, seen again through a placeholder. Not thread-safe;
 * one per read.
 */
final class ViolationLines {

    private static final Pattern EXPECTED = Pattern.compile("(?s)(.*?) ?\\(expected:? (.*)\\)");
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private final JsonNode root;
    private final ConfigErrors errors;
    private List<String> covered = List.of();

    /**
     * @param root the whole file
     * @param errors where the lines go
     */
    ViolationLines(JsonNode root, ConfigErrors errors) {
        this.root = root;
        this.errors = errors;
    }

    /** From now on, leaves out violations at or under the paths of the problems recorded so far. */
    void coverReaderProblems() {
        covered = errors.paths();
    }

    /** Adds a line per violation of {@code e}, each path rewritten by {@code toFilePath}. */
    void addAll(ConfigurationException e, UnaryOperator<String> toFilePath) {
        for (Violation v : e.violations()) {
            add(toFilePath.apply(v.path()), v.message());
        }
    }

    /** Adds a line for the violation {@code message} at the file path {@code path}. */
    void add(String path, String message) {
        for (String p : covered) {
            if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")) {
                return;
            }
        }
        String filePath = path;
        if (find(path).isMissingNode() && path.endsWith(".value")) {
            // the model keeps the replacement of rewrite and replace rules as their value
            String replacement = path.substring(0, path.length() - "value".length()) + "replacement";
            filePath = find(replacement).isMissingNode() ? path : replacement;
        }
        JsonNode got = find(filePath);
        errors.add(filePath, describe(message, got), got);
    }

    /** {@code -1 (expected: 0..65535)} with the value -1 becomes {@code expected 0..65535}. */
    static String describe(String message, JsonNode got) {
        Matcher m = EXPECTED.matcher(message.strip());
        if (!m.matches()) {
            return message;
        }
        String head = m.group(1).strip();
        String expected = "expected " + m.group(2);
        if (head.isEmpty() || isValue(head, got)) {
            return expected;
        }
        return head + ", " + expected;
    }

    private static boolean isValue(String head, JsonNode got) {
        if (got.isMissingNode()) {
            return false;
        }
        String text = got.isValueNode() ? got.asText() : got.toString();
        return head.equals(text) || head.equals("'" + text + "'") || head.equals(got.toString());
    }

    /** The node at {@code path} in the file; a missing node when there is none. */
    JsonNode find(String path) {
        JsonNode node = root;
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            if (m.group(1) != null) {
                node = node.path(m.group(1));
            } else {
                int index = Integer.parseInt(m.group(2));
                // one value where a list is allowed ("expectStatus": 200) stands for its first element
                node = node.isArray() ? node.path(index) : index == 0 ? node : MissingNode.getInstance();
            }
        }
        return node;
    }
}
