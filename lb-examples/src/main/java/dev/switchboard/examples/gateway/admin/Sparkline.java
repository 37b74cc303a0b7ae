package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A sparkline of one sub-service's request and error rates as inline SVG: no script, no font, no style sheet and
 * nothing fetched (colours are presentation attributes, allowed under the page's Content-Security-Policy). The
 * window ends now on the right; requests are a blue line over a light area, errors a red line on the same scale;
 * a {@code <title>} and {@code aria-label} say the same in words. Stateless.
 */
final class Sparkline {

    static final int WIDTH = 180;
    static final int HEIGHT = 32;

    private Sparkline() {
    }

    /**
     * @param points oldest first ({@link RateHistory#sparkline}), each ending within {@code window} before {@code now}
     * @param interval the length of one whole interval (the first point's start is its end minus this)
     */
    static String svg(List<RateHistory.Point> points, Instant now, Duration window, Duration interval) {
        double max = 0;
        double maxErrors = 0;
        for (RateHistory.Point p : points) {
            max = Math.max(max, p.requests());
            maxErrors = Math.max(maxErrors, p.errors());
        }
        String words = "last " + Readable.duration(window) + ": requests up to " + Readable.rate(max)
                + ", errors up to " + Readable.rate(maxErrors);
        StringBuilder out = new StringBuilder(512).append("<svg class=\"spark\"")
                .append(" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(words).append("\" data-points=\"")
                .append(points.size()).append("\"><title>").append(words).append("</title>")
                .append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#f6f8fa\" stroke=\"#d0d7de\"/>");
        if (!points.isEmpty() && max > 0) {
            String line = line(points, now, window, interval, max, false);
            out.append("<polygon class=\"spark-area\" fill=\"#cfe2ff\" points=\"").append(line)
                    .append(area(points, now, window, interval)).append("\"/>")
                    .append("<polyline class=\"spark-requests\" fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"1.5\"")
                    .append(" points=\"").append(line).append("\"/>");
            if (maxErrors > 0) {
                out.append("<polyline class=\"spark-errors\" fill=\"none\" stroke=\"#c5221f\" stroke-width=\"1.5\"")
                        .append(" points=\"").append(line(points, now, window, interval, max, true)).append("\"/>");
            }
        }
        return out.append("</svg>").toString();
    }

    private static String line(List<RateHistory.Point> points, Instant now, Duration window, Duration interval,
            double max, boolean errors) {
        StringBuilder sb = new StringBuilder(points.size() * 12);
        RateHistory.Point first = points.get(0);
        double v0 = errors ? first.errors() : first.requests();
        sb.append(fmt(x(first.end().minus(interval), now, window))).append(',').append(fmt(y(v0, max)));
        for (RateHistory.Point p : points) {
            double v = errors ? p.errors() : p.requests();
            sb.append(' ').append(fmt(x(p.end(), now, window))).append(',').append(fmt(y(v, max)));
        }
        return sb.toString();
    }

    /** Closes the area under the request line along the bottom edge. */
    private static String area(List<RateHistory.Point> points, Instant now, Duration window, Duration interval) {
        double right = x(points.get(points.size() - 1).end(), now, window);
        double left = x(points.get(0).end().minus(interval), now, window);
        return " " + fmt(right) + "," + HEIGHT + " " + fmt(left) + "," + HEIGHT;
    }

    private static double x(Instant t, Instant now, Duration window) {
        double fromEnd = Duration.between(t, now).toMillis() / (double) window.toMillis();
        return Math.max(0, Math.min(WIDTH, WIDTH * (1 - fromEnd)));
    }

    private static double y(double v, double max) {
        return HEIGHT - 1 - (HEIGHT - 3) * (v / max);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
