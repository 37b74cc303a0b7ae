package dev.switchboard.examples.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The stats page ({@code GET /}) and the tables it refreshes itself with ({@code GET /stats/tables}). The page is
 * the resource {@code admin/stats.html}, self-contained (no font, style sheet, image or script from elsewhere: it
 * works with no internet); its inline style and script run under a per-response nonce, so that nothing else on the
 * page can (a second line behind the escaping). Its filter form submits to the page itself ({@code form-action
 * 'self'}), which is how the view changes without the script.
 */
final class StatsPage {

    private static final String TEMPLATE = load();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StatsPage() {
    }

    /**
     * The whole page around {@code tables} (the fragment of {@link #tables}), with the view's controls set to
     * {@code query}. The template is filled in one pass, so that no value can carry a placeholder into it.
     */
    static AdminResponse page(String tables, PageQuery query) {
        String nonce = nonce();
        StringBuilder options = new StringBuilder();
        for (PageQuery.Sort s : PageQuery.Sort.values()) {
            options.append("<option value=\"").append(s.value()).append('"')
                    .append(s == query.sort() ? " selected" : "").append('>').append(s.label()).append("</option>");
        }
        String html = fill(TEMPLATE, Map.of("nonce", nonce, "tables", tables, "filter", Html.escape(query.filter()),
                "sorts", options.toString()));
        return AdminResponse.html(200, html, headers(nonce));
    }

    /** The tables alone: what the page refreshes itself with, in place. */
    static AdminResponse tables(String tables) {
        return AdminResponse.html(200, tables, headers(nonce()));
    }

    /** Replaces each {@code {{name}}} of {@code template} with its value; text from values is never scanned. */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 16_384);
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            int close = open < 0 ? -1 : template.indexOf("}}", open);
            if (close < 0) {
                return out.append(template, at, template.length()).toString();
            }
            String name = template.substring(open + 2, close);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("admin/stats.html: no value for {{" + name + "}}");
            }
            out.append(template, at, open).append(value);
            at = close + 2;
        }
    }

    private static Map<String, String> headers(String nonce) {
        String csp = "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "';"
                + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        return Map.of("Content-Security-Policy", csp,
                "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer");
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String load() {
        try (InputStream in = StatsPage.class.getResourceAsStream("/admin/stats.html")) {
            if (in == null) {
                throw new IllegalStateException("resource /admin/stats.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
