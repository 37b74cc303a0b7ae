package dev.switchboard.examples.gateway.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The stats page's view parameters, {@code ?filter=ex0&sort=rate}, read by the page and by the fragment it refreshes
 * itself with, so that a refresh keeps the view. {@code filter} keeps the entries whose name contains it (ignoring
 * case): a virtual service that matches shows whole, else only its matching sub-services (whole) and servers.
 * Immutable.
 *
 * @param filter the text names must contain, or empty for everything
 * @param sort   the order of virtual services, sub-services and servers
 */
record PageQuery(String filter, Sort sort) {

    static final int MAX_FILTER = 100;

    /** The orders the page offers; each with its parameter value and its label. */
    enum Sort {
        CONFIG("config", "configuration order"),
        NAME("name", "name A–Z"),
        NAME_DESC("-name", "name Z–A"),
        RATE("rate", "request rate, highest first"),
        ERRORS("errors", "failures, most first");

        private final String value;
        private final String label;

        Sort(String value, String label) {
            this.value = value;
            this.label = label;
        }

        String value() {
            return value;
        }

        String label() {
            return label;
        }
    }

    static final PageQuery ALL = new PageQuery("", Sort.CONFIG);

    PageQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sort, "sort");
    }

    /**
     * The view asked for; {@link #ALL} without parameters.
     *
     * @throws AdminError 400 naming the parameter when {@code sort} is not one of {@link Sort}'s values, when either
     *                    is repeated, or when {@code filter} is longer than {@value #MAX_FILTER} characters
     */
    static PageQuery parse(Map<String, List<String>> params) {
        String filter = single(params, "filter", "");
        if (filter.length() > MAX_FILTER) {
            throw AdminError.badRequest("filter: " + filter.length() + " characters (expected: at most " + MAX_FILTER
                    + ")");
        }
        String sort = single(params, "sort", "config");
        for (Sort s : Sort.values()) {
            if (s.value.equals(sort)) {
                return new PageQuery(filter.strip(), s);
            }
        }
        throw AdminError.badRequest("sort: " + sort + " (expected: one of config, name, -name, rate, errors)");
    }

    private static String single(Map<String, List<String>> params, String name, String absent) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw AdminError.badRequest(name + ": given " + values.size() + " times (expected: once)");
        }
        return values.isEmpty() ? absent : values.get(0);
    }

    /** Whether {@code name} contains the filter, ignoring case (always, without a filter). */
    boolean matches(String name) {
        return filter.isEmpty() || name.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT));
    }
}
