package dev.switchboard.benchmarks.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Draws JMH results ({@code -rf json}) as an SVG line chart: score against one {@code @Param} on the x axis (log
 * y axis), one series per value of the series parameters; series whose label matches {@code --ours} (default:
 * Switchboard's) are solid, the peers' dashed. No external tool.
 *
 * <p>Run, one chart:
 * <pre>{@code
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.chart.JmhChart \
 *     --in pick.json --out docs/benchmarks-pick.svg --benchmark 'PeerPickBenchmark.pick$' \
 *     --x servers --series type --where weights=MIXED --title 'One pick, 1 thread' --xlabel servers
 * }</pre>
 * or the two charts of docs/benchmarks.md from a quick-mode results directory ({@code pick.json},
 * {@code dispatch.json}):
 * <pre>{@code
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.chart.JmhChart --standard RESULTS_DIR OUT_DIR
 * }</pre>
 */
public final class JmhChart {

    /** Whose series are drawn solid unless {@code --ours} says otherwise. */
    static final String OURS = "(?i)switchboard|^(literal|regex)";

    private JmhChart() {
    }

    /** @param args see the class javadoc; an unknown or missing option throws {@link IllegalArgumentException} */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--standard")) {
            for (Path written : standard(Path.of(args[1]), Path.of(args[2]))) {
                System.out.println("wrote " + written);
            }
            return;
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--where")) {
                String[] kv = args[i + 1].split("=", 2);
                where.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else {
                options.put(args[i], args[i + 1]);
            }
        }
        for (String required : List.of("--in", "--out", "--benchmark", "--x", "--series")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException(required + ": missing (see the javadoc of JmhChart for usage)");
            }
        }
        SvgChart chart = chart(JmhResults.read(Path.of(options.get("--in"))), options.get("--benchmark"), where,
                options.get("--x"), List.of(options.get("--series").split(",")),
                options.getOrDefault("--ours", OURS), options.getOrDefault("--title", options.get("--benchmark")),
                options.getOrDefault("--xlabel", options.get("--x")));
        Path out = Path.of(options.get("--out"));
        Files.writeString(out, chart.render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + chart.seriesCount() + " series)");
    }

    /**
     * The charts of docs/benchmarks.md: {@code benchmarks-pick.svg} from {@code pick.json} and
     * {@code benchmarks-dispatch.svg} from {@code dispatch.json} in {@code results}, written to {@code out}.
     *
     * @return the files written (a chart whose input is missing is skipped)
     */
    static List<Path> standard(Path results, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        Path pick = results.resolve("pick.json");
        if (Files.exists(pick)) {
            SvgChart chart = chart(JmhResults.read(pick), "PeerPickBenchmark\\.pick$", Map.of("weights", "MIXED"),
                    "servers", List.of("type"), OURS, "One pick, 1 thread, weights 1..5 (ours solid, peers dashed)",
                    "servers in the pool");
            written.add(write(chart, out.resolve("benchmarks-pick.svg")));
        }
        Path dispatch = results.resolve("dispatch.json");
        if (Files.exists(dispatch)) {
            SvgChart chart = chart(JmhResults.read(dispatch), "DispatchBenchmark\\.dispatch$", Map.of(), "ruleCount",
                    List.of("rules", "persistence"), OURS, "Full L7 dispatch + release, 1 thread, 16 servers",
                    "content rules (path rules, plus one host rule)");
            written.add(write(chart, out.resolve("benchmarks-dispatch.svg")));
        }
        return written;
    }

    private static Path write(SvgChart chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, chart.render(), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * A chart of the selected results.
     *
     * @throws IllegalArgumentException when nothing is selected, an x value is not a number, or two results fall on
     *                                  the same series and x (a parameter is missing from the series or the filter)
     */
    static SvgChart chart(JmhResults results, String benchmark, Map<String, String> where, String xParam,
            List<String> seriesParams, String oursRegex, String title, String xLabel) {
        List<JmhResults.Result> selected = results.select(benchmark, where);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("benchmark: " + benchmark + " " + where + " (no result matches)");
        }
        Pattern ours = Pattern.compile(oursRegex);
        SvgChart chart = new SvgChart(title, xLabel, selected.get(0).unit() + " (log scale)");
        Set<String> seen = new HashSet<>();
        for (JmhResults.Result r : selected) {
            String x = r.params().get(xParam);
            if (x == null) {
                throw new IllegalArgumentException("x: " + xParam + " (not a parameter of " + r.benchmark() + ")");
            }
            List<String> parts = new ArrayList<>();
            for (String p : seriesParams) {
                parts.add(r.params().getOrDefault(p, "?"));
            }
            String name = label(String.join(", ", parts));
            if (!seen.add(name + "@" + x)) {
                throw new IllegalArgumentException("two results for series " + name + " at " + xParam + "=" + x
                        + " (add the parameter that differs to --series or --where)");
            }
            chart.add(name, ours.matcher(name).find(), Double.parseDouble(x), r.score());
        }
        return chart;
    }

    /** {@code SWITCHBOARD_ROUND_ROBIN} reads {@code Switchboard round robin}, {@code LITERAL, none} {@code Literal, none}. */
    static String label(String value) {
        String s = value.replace('_', ' ').toLowerCase(Locale.ROOT);
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
