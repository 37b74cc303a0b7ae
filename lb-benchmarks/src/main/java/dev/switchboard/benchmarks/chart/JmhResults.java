package dev.switchboard.benchmarks.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The results of JMH's {@code -rf json} output, one {@link Result} per benchmark and parameter combination.
 * Immutable.
 */
final class JmhResults {

    /**
     * One line of a JMH result.
     *
     * @param benchmark the fully qualified benchmark method, e.g. {@code dev...PeerPickBenchmark.pick}
     * @param threads the thread count
     * @param params the {@code @Param} values, in the file's order
     * @param score the primary metric's score
     * @param error its error (99.9 % half-width; NaN when JMH gives none)
     * @param unit the primary metric's unit, e.g. {@code ns/op}
     */
    record Result(String benchmark, int threads, Map<String, String> params, double score, double error, String unit) {
        Result {
            params = Map.copyOf(params);
        }
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /** @throws IOException when the file cannot be read or is not JMH's JSON */
    static JmhResults read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": not a JMH JSON result (expected: a top-level array)");
        }
        List<Result> out = new ArrayList<>();
        for (JsonNode run : root) {
            JsonNode metric = run.path("primaryMetric");
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = run.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode error = metric.path("scoreError");
            out.add(new Result(run.path("benchmark").asText(), run.path("threads").asInt(1), params,
                    metric.path("score").asDouble(Double.NaN),
                    error.isNumber() ? error.asDouble() : Double.NaN, metric.path("scoreUnit").asText("")));
        }
        return new JmhResults(out);
    }

    /**
     * The results whose benchmark name matches {@code benchmark} (a regular expression, searched as JMH does)
     * and whose parameters have every value of {@code where}.
     */
    List<Result> select(String benchmark, Map<String, String> where) {
        Pattern pattern = Pattern.compile(benchmark);
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            if (!pattern.matcher(r.benchmark()).find()) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, String> w : where.entrySet()) {
                all &= w.getValue().equals(r.params().get(w.getKey()));
            }
            if (all) {
                out.add(r);
            }
        }
        return out;
    }
}
