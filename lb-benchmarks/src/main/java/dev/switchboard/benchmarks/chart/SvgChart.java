package dev.switchboard.benchmarks.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A line chart in SVG: categorical x values (sorted numerically, evenly spaced, so powers of a base read as a
 * log scale), a log10 y axis with decade grid lines, one polyline with markers per series, a legend. Ours are
 * drawn solid, peers dashed. No dependencies; the output is self-contained SVG 1.1. Not thread-safe.
 */
final class SvgChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 80;
    private static final int TOP = 50;
    private static final int PLOT_WIDTH = 560;
    private static final int PLOT_HEIGHT = 410;
    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
        "#17becf", "#393b79", "#637939",
    };

    /** One point of a series. */
    record Point(double x, double y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<Point>> series = new LinkedHashMap<>();
    private final Map<String, Boolean> ours = new LinkedHashMap<>();

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a point to the series {@code name} (created on first use; {@code isOurs} draws it solid). */
    void add(String name, boolean isOurs, double x, double y) {
        if (!(y > 0)) {
            throw new IllegalArgumentException(name + ": y " + y + " (expected: above 0 for a log axis)");
        }
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(x, y));
        ours.put(name, isOurs);
    }

    int seriesCount() {
        return series.size();
    }

    /** The chart as an SVG document. */
    String render() {
        List<Double> xs = new ArrayList<>(new TreeSet<>(series.values().stream().flatMap(List::stream)
                .map(Point::x).toList()));
        double minY = series.values().stream().flatMap(List::stream).mapToDouble(Point::y).min().orElse(1);
        double maxY = series.values().stream().flatMap(List::stream).mapToDouble(Point::y).max().orElse(10);
        int lowDecade = (int) Math.floor(Math.log10(minY));
        int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(maxY)));
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(format("<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT,
                escape(title)));
        axes(svg, xs, lowDecade, highDecade);
        int index = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            line(svg, e.getKey(), e.getValue(), COLORS[index % COLORS.length], ours.get(e.getKey()), xs, lowDecade,
                    highDecade);
            legend(svg, e.getKey(), COLORS[index % COLORS.length], ours.get(e.getKey()), index);
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private void axes(StringBuilder svg, List<Double> xs, int lowDecade, int highDecade) {
        svg.append(format("<g class=\"axes\" stroke=\"#333\">%n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n</g>%n", LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, LEFT,
                TOP + PLOT_HEIGHT, LEFT + PLOT_WIDTH, TOP + PLOT_HEIGHT));
        for (int d = lowDecade; d <= highDecade; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (d == highDecade && m > 1) {
                    continue;
                }
                double y = yOf(v, lowDecade, highDecade);
                svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n", LEFT, y,
                        LEFT + PLOT_WIDTH, y, m == 1 ? "#ccc" : "#eee"));
                svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                        number(v)));
            }
        }
        for (int i = 0; i < xs.size(); i++) {
            double x = xOf(i, xs.size());
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n", x,
                    TOP + PLOT_HEIGHT, x, TOP + PLOT_HEIGHT + 5));
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + PLOT_HEIGHT + 20,
                    number(xs.get(i))));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + PLOT_WIDTH / 2,
                TOP + PLOT_HEIGHT + 42, escape(xLabel)));
        svg.append(format("<text x=\"20\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 20 %d)\">%s"
                + "</text>%n", TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2, escape(yLabel)));
    }

    private void line(StringBuilder svg, String name, List<Point> points, String color, boolean isOurs,
            List<Double> xs, int lowDecade, int highDecade) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort((a, b) -> Double.compare(a.x(), b.x()));
        svg.append(format("<g class=\"series\" data-series=\"%s\">%n<polyline fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s points=\"", escape(name), color, isOurs ? "" : " stroke-dasharray=\"6 4\""));
        for (Point p : sorted) {
            svg.append(format("%.1f,%.1f ", xOf(xs.indexOf(p.x()), xs.size()), yOf(p.y(), lowDecade, highDecade)));
        }
        svg.append("\"/>\n");
        for (Point p : sorted) {
            svg.append(format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s at %s</title>"
                    + "</circle>%n", xOf(xs.indexOf(p.x()), xs.size()), yOf(p.y(), lowDecade, highDecade), color,
                    escape(name), number(p.y()), number(p.x())));
        }
        svg.append("</g>\n");
    }

    private static void legend(StringBuilder svg, String name, String color, boolean isOurs, int index) {
        int x = LEFT + PLOT_WIDTH + 24;
        int y = TOP + 10 + index * 20;
        svg.append(format("<g class=\"legend\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text></g>%n", x, y, x + 28, y, color,
                isOurs ? "" : " stroke-dasharray=\"6 4\"", x + 34, y + 4, escape(name)));
    }

    private static double xOf(int index, int count) {
        return count == 1 ? LEFT + PLOT_WIDTH / 2.0 : LEFT + 30 + index * (PLOT_WIDTH - 60.0) / (count - 1);
    }

    private static double yOf(double value, int lowDecade, int highDecade) {
        double f = (Math.log10(value) - lowDecade) / (highDecade - lowDecade);
        return TOP + PLOT_HEIGHT - f * PLOT_HEIGHT;
    }

    /** {@code 4,096}, {@code 2.5}, {@code 0.01}, {@code 10,000}: no exponent, no trailing zeros. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
