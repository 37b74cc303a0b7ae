package dev.switchboard.engine;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.ResponseView;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Response views and Set-Cookie helpers for the persistence tests. */
final class Responses {

    private Responses() {
    }

    /** A 200 response carrying these Set-Cookie headers. */
    static ResponseView withSetCookies(String... setCookies) {
        Map<String, List<String>> headers = Map.of("set-cookie", List.of(setCookies));
        return new ResponseView() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public String header(String name) {
                List<String> values = headers(name);
                return values.isEmpty() ? null : values.get(0);
            }

            @Override
            public List<String> headers(String name) {
                return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
            }
        };
    }

    /** The Set-Cookie values among {@code edits}. */
    static List<String> setCookies(List<HeaderEdit> edits) {
        return edits.stream().filter(e -> e.name().equalsIgnoreCase("Set-Cookie")).map(HeaderEdit::value)
                .collect(Collectors.toList());
    }

    /** {@code name=value} of a Set-Cookie value, as a client would send it back. */
    static String cookiePair(String setCookie) {
        int semi = setCookie.indexOf(';');
        return semi < 0 ? setCookie : setCookie.substring(0, semi);
    }
}
