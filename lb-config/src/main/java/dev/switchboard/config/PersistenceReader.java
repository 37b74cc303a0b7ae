package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code persistence} object, on a virtual service or a sub-service, into a {@link Persistence}. One with
 * any problem reads as {@link Persistence#NONE}, so that the model's validation does not report it twice.
 */
final class PersistenceReader {

    static final Set<String> KEYS = Set.of("mode", "fallback", "timeout", "cookieName", "cookiePath",
            "cookieHttpOnly", "cookieSameSite", "cookieSession", "cookieSecret", "sourceIpMask", "sourceIpMaskV6",
            "trustedProxies", "header", "param", "shared", "maxEntries");

    static final Map<String, PersistenceMode> MODES = Section.names(PersistenceMode.values(),
            PersistenceMode::configName);

    private PersistenceReader() {
    }

    /**
     * The persistence under {@code key} of {@code owner}, if present.
     *
     * @param trustedProxies the listener's trusted proxies, used for source-ip keys when the object lists none
     */
    static Optional<Persistence> find(Section owner, String key, List<Cidr> trustedProxies) {
        if (!owner.has(key)) {
            return Optional.empty();
        }
        ConfigErrors errors = owner.errors();
        int before = errors.count();
        Optional<Section> section = owner.findObject(key, KEYS);
        if (section.isEmpty()) {
            return Optional.of(Persistence.NONE);
        }
        Section s = section.get();
        PersistenceMode mode = s.findRequiredChoice("mode", MODES).orElse(PersistenceMode.NONE);
        Persistence.Builder b = Persistence.builder(mode);
        PersistenceMode fallback = s.choice("fallback", MODES, PersistenceMode.NONE);
        b.fallback(fallback);
        s.findDuration("timeout").ifPresent(b::timeout);
        requireFor(s, mode, fallback, PersistenceMode.SERVER_COOKIE, "cookieName");
        requireFor(s, mode, fallback, PersistenceMode.HEADER, "header");
        requireFor(s, mode, fallback, PersistenceMode.QUERY_PARAM, "param");
        s.findString("cookieName").ifPresent(b::cookieName);
        s.findString("cookiePath").ifPresent(b::cookiePath);
        b.cookieHttpOnly(s.bool("cookieHttpOnly", true));
        s.findString("cookieSameSite").ifPresent(b::cookieSameSite);
        b.cookieSession(s.bool("cookieSession", false));
        s.findString("cookieSecret").ifPresent(b::cookieSecret);
        s.findInteger("sourceIpMask", 0, 32).ifPresent(b::sourceIpMask);
        s.findInteger("sourceIpMaskV6", 0, 128).ifPresent(b::sourceIpMaskV6);
        s.findString("header").ifPresent(b::header);
        s.findString("param").ifPresent(b::param);
        b.shared(s.bool("shared", false));
        s.findInteger("maxEntries", 1, Integer.MAX_VALUE).ifPresent(b::maxEntries);
        List<String> proxies = s.has("trustedProxies") ? cidrs(s, "trustedProxies")
                : trustedProxies.stream().map(Cidr::toString).toList();
        proxies.forEach(b::trustedProxy);
        return Optional.of(errors.count() == before ? b.build() : Persistence.NONE);
    }

    private static void requireFor(Section s, PersistenceMode mode, PersistenceMode fallback, PersistenceMode needs,
            String key) {
        if ((mode == needs || fallback == needs) && !s.has(key)) {
            s.errors().missing(s.path(key), "a name: mode " + needs.configName() + " requires it");
        }
    }

    /** The CIDR blocks of the array {@code key}, as their texts; problems recorded. */
    static List<String> cidrs(Section s, String key) {
        List<JsonNode> nodes = s.array(key);
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            Section.findCidr(n, s.path(key) + "[" + i + "]", s.errors()).ifPresent(c -> texts.add(n.textValue()));
        }
        return texts;
    }
}
