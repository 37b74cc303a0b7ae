package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one configuration file, each as {@code path: what is wrong (got VALUE)}, in the order they
 * were found. Not thread-safe; one per read.
 */
final class ConfigErrors {

    /** Longest rendering of a value in a message; longer ones are cut with an ellipsis. */
    private static final int MAX_VALUE = 80;

    /** What a secret's value is shown as: error lines end up in terminals and logs. */
    static final String HIDDEN = "a hidden value";

    private final List<String> lines = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    /** Records that {@code path} is wrong; {@code got} is the value found there. */
    void add(String path, String what, JsonNode got) {
        add(path, what, render(got));
    }

    /** Records that {@code path} is wrong; {@code got} is already rendered (a JSON text, or {@code nothing}). */
    void add(String path, String what, String got) {
        String shown = isSecret(path) && !got.equals("nothing") ? HIDDEN : got;
        lines.add(display(path) + ": " + what + " (got " + shown + ")");
        paths.add(path);
    }

    /** Records that the required key {@code path} is absent. */
    void missing(String path, String expected) {
        add(path, "missing, expected " + expected, "nothing");
    }

    /** How many problems have been recorded so far. */
    int count() {
        return lines.size();
    }

    /** The paths of the problems recorded so far. */
    List<String> paths() {
        return List.copyOf(paths);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Throws a {@link ConfigFileException} with every line, if there is any. */
    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new ConfigFileException(lines);
        }
    }

    /** A value as it appears in JSON (strings quoted), shortened to {@value #MAX_VALUE} characters. */
    static String render(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return shorten(node.toString());
    }

    /** {@code text} as a JSON string, shortened. */
    static String renderText(String text) {
        return render(com.fasterxml.jackson.databind.node.TextNode.valueOf(text));
    }

    static String shorten(String text) {
        return text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE - 3) + "...";
    }

    /** Whether the last key of {@code path} names a secret (a token, a password, a cookie secret). */
    static boolean isSecret(String path) {
        String key = path.substring(path.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        return key.contains("token") || key.contains("password") || key.contains("secret");
    }

    /** The root's path is empty; it is shown as {@code $}. */
    private static String display(String path) {
        return path.isEmpty() ? "$" : path;
    }
}
