package dev.switchboard.micrometer.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) and of OpenMetrics text (1.0.0), for tests: every
 * line must be a well-formed {@code # HELP}, {@code # TYPE} or sample line, metric and label names must match the
 * format's patterns, label values must be quoted with only the allowed escapes, each family's {@code # TYPE} comes
 * before its samples and once, a family's samples are contiguous, no series appears twice, and every histogram's
 * buckets are cumulative, end in {@code le="+Inf"} equal to its {@code _count}, and come with a {@code _sum}.
 * OpenMetrics text must end with {@code # EOF}. Any violation throws an {@link AssertionError} naming the line.
 *
 * <pre>{@code
 * PrometheusText text = PrometheusText.parse(scrape, false);
 * double n = text.value("switchboard_requests_total", Map.of("real_server", "a"));
 * }</pre>
 */
public final class PrometheusText {

    /** One sample: its full name (with any suffix), labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")(?: (.*))?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME
            + ") (counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{.*\\})? (\\S+)( -?[0-9.e+]+)?");
    private static final List<String> SUFFIXES = List.of("_total", "_created", "_bucket", "_count", "_sum", "_info",
            "_gcount", "_gsum");

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Map.copyOf(types);
    }

    /**
     * Reads {@code text} strictly.
     *
     * @param openMetrics whether it is OpenMetrics text (ends with {@code # EOF})
     * @throws AssertionError naming the first line that breaks the format, or the histogram that is inconsistent
     */
    public static PrometheusText parse(String text, boolean openMetrics) {
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new AssertionError("the text does not end with a line feed");
        }
        int end = lines.length - 1; // the empty string after the last \n
        if (openMetrics) {
            if (end < 1 || !lines[end - 1].equals("# EOF")) {
                throw new AssertionError("OpenMetrics text does not end with # EOF");
            }
            end--;
        }
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String current = null;
        for (int i = 0; i < end; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "'";
            Matcher m;
            if (line.isEmpty() && !openMetrics) {
                continue;
            } else if ((m = HELP.matcher(line)).matches()) {
                current = family(m.group(1), current, finished, where);
                check(helped.add(m.group(1)), where + ": a second HELP");
            } else if ((m = TYPE.matcher(line)).matches()) {
                String family = m.group(1);
                current = family(family, current, finished, where);
                check(types.put(family, m.group(2)) == null, where + ": a second TYPE");
                check(samples.stream().noneMatch(s -> familyOf(s.name(), types).equals(family)),
                        where + ": TYPE after samples of its family");
            } else if (line.startsWith("#")) {
                throw new AssertionError(where + ": a comment that is neither HELP nor TYPE");
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                Map<String, String> labels = labels(m.group(2), where);
                double value = value(m.group(3), where);
                String family = familyOf(name, types);
                check(types.containsKey(family), where + ": a sample without a TYPE for its family");
                current = family(family, current, finished, where);
                check(series.add(name + new TreeMap<>(labels)), where + ": the same series twice");
                samples.add(new Sample(name, labels, value));
            } else {
                throw new AssertionError(where + ": not a HELP, TYPE or sample line");
            }
        }
        PrometheusText parsed = new PrometheusText(samples, types);
        parsed.checkHistograms();
        return parsed;
    }

    private static String family(String family, String current, Set<String> finished, String where) {
        if (!family.equals(current)) {
            check(!finished.contains(family), where + ": samples of family " + family + " are not contiguous");
            if (current != null) {
                finished.add(current);
            }
        }
        return family;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Map<String, String> labels(String braces, String where) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (braces == null) {
            return labels;
        }
        String s = braces.substring(1, braces.length() - 1);
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            check(eq > i, where + ": a label without a name");
            String name = s.substring(i, eq);
            check(LABEL_NAME.matcher(name).matches(), where + ": label name '" + name + "'");
            check(eq + 1 < s.length() && s.charAt(eq + 1) == '"', where + ": label " + name + " value not quoted");
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < s.length() && s.charAt(j) != '"'; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    check(j + 1 < s.length(), where + ": a dangling escape");
                    char e = s.charAt(++j);
                    check(e == '\\' || e == '"' || e == 'n', where + ": escape \\" + e);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            check(j < s.length(), where + ": label " + name + " value not closed");
            check(labels.put(name, value.toString()) == null, where + ": label " + name + " twice");
            i = j + 1;
            if (i < s.length()) {
                check(s.charAt(i) == ',', where + ": labels not separated by a comma");
                i++;
            }
        }
        return labels;
    }

    private static double value(String text, String where) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError(where + ": value '" + text + "'");
                }
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(problem);
        }
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String name = t.getKey();
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample s : samples(name + "_bucket")) {
                check(s.labels().containsKey("le"), name + "_bucket without le: " + s);
                Map<String, String> key = new TreeMap<>(s.labels());
                key.remove("le");
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
                double previousLe = Double.NEGATIVE_INFINITY;
                double previousCount = 0;
                for (Sample b : e.getValue()) {
                    double le = value(b.labels().get("le"), name + " le");
                    check(le > previousLe, name + e.getKey() + ": le " + le + " not ascending");
                    check(b.value() >= previousCount, name + e.getKey() + ": bucket le=" + le + " not cumulative");
                    previousLe = le;
                    previousCount = b.value();
                }
                check(previousLe == Double.POSITIVE_INFINITY, name + e.getKey() + ": no le=\"+Inf\" bucket");
                double count = value(name + "_count", e.getKey());
                check(count == previousCount, name + e.getKey() + ": _count " + count + " != +Inf bucket "
                        + previousCount);
                check(find(name + "_sum", e.getKey()) != null, name + e.getKey() + ": no _sum");
            }
        }
    }

    /** Every sample named {@code name} exactly (suffix included). */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** The family types by name, in the order of the text. */
    public Map<String, String> types() {
        return types;
    }

    /** The one sample named {@code name} whose labels include {@code labels}, or null when none. */
    public Sample find(String name, Map<String, String> labels) {
        List<Sample> found = samples(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples " + name + " match " + labels + ": " + found);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labels}.
     *
     * @throws AssertionError when there is none, or more than one
     */
    public double value(String name, Map<String, String> labels) {
        Sample s = find(name, labels);
        if (s == null) {
            throw new AssertionError("no sample " + name + " with " + labels);
        }
        return s.value();
    }
}
