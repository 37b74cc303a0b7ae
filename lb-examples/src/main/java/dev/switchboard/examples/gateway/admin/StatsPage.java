package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.EngineStats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The stats page ({@code GET /}) and the tables it refreshes itself with ({@code GET /stats/tables}). The page is
 * the resource {@code admin/stats.html}, self-contained; its inline style and script run under a per-response
 * nonce, so that nothing else on the page can (a second line behind the escaping).
 */
final class StatsPage {

    private static final String TEMPLATE = load();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StatsPage() {
    }

    /** @param fleet the fleet section's HTML ({@link FleetStatsHtml}), empty for a gateway that runs alone */
    static AdminResponse page(EngineStats stats, GatewayControl control, String fleet) {
        String nonce = nonce();
        String html = TEMPLATE.replace("{{nonce}}", nonce) // before the tables: their text is not a template
                .replace("{{tables}}", StatsHtml.render(stats, control) + fleet
                        + EventsHtml.render(control.findEventHistory()));
        return AdminResponse.html(200, html, headers(nonce));
    }

    static AdminResponse tables(EngineStats stats, GatewayControl control, String fleet) {
        return AdminResponse.html(200, StatsHtml.render(stats, control) + fleet
                + EventsHtml.render(control.findEventHistory()), headers(nonce()));
    }

    private static Map<String, String> headers(String nonce) {
        String csp = "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "';"
                + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
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
