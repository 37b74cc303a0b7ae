package dev.switchboard.config;

import dev.switchboard.netty.settings.AccessLogFormat;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Cidr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the listener options that may be given at the top of the file (for every virtual service) and again on a
 * virtual service (overriding them key by key): {@code timeouts}, {@code limits}, {@code trustedProxies},
 * {@code accessLog}: {@code true}, {@code false}, or {@code {"enabled": true, "format": "text" | "json"}} (both keys
 * optional: an object turns the log on unless {@code enabled} is false, and a format not given is inherited).
 */
final class ListenerOptionsReader {

    static final Set<String> TIMEOUT_KEYS = Set.of("connect", "firstByte", "clientIdle", "serverIdle", "shutdown",
            "requestHead", "requestBodyMinRate", "requestBodyWindow", "tunnelIdle");
    static final Set<String> LIMIT_KEYS = Set.of("maxRequestLine", "maxHeaderSize", "maxPooledPerServer",
            "maxRetries", "maxConnections", "maxConnectionsPerClient");
    static final Set<String> ACCESS_LOG_KEYS = Set.of("enabled", "format");
    private static final Map<String, AccessLogFormat> FORMATS = Section.names(AccessLogFormat.values(),
            AccessLogFormat::configName);

    /**
     * The options in force at some level.
     *
     * @param timeouts the timeouts
     * @param limits the limits
     * @param trustedProxies peers whose forwarded headers are believed
     * @param accessLog whether a line per request is logged
     * @param accessLogFormat how
     */
    record Options(Timeouts timeouts, Limits limits, List<Cidr> trustedProxies, boolean accessLog,
            AccessLogFormat accessLogFormat) {

        static final Options DEFAULTS = new Options(Timeouts.DEFAULTS, Limits.DEFAULTS, List.of(), true,
                AccessLogFormat.TEXT);

        Options {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    private ListenerOptionsReader() {
    }

    /** The options of {@code s}, each key that it does not set taken from {@code base}. */
    static Options read(Section s, Options base) {
        Timeouts timeouts = s.findObject("timeouts", TIMEOUT_KEYS).map(t -> timeouts(t, base.timeouts()))
                .orElse(base.timeouts());
        Limits limits = s.findObject("limits", LIMIT_KEYS).map(l -> limits(l, base.limits())).orElse(base.limits());
        List<Cidr> proxies = s.has("trustedProxies") ? cidrs(s, "trustedProxies") : base.trustedProxies();
        if (s.has("accessLog") && s.raw("accessLog").isObject()) {
            Section log = s.findObject("accessLog", ACCESS_LOG_KEYS).orElseThrow();
            return new Options(timeouts, limits, proxies, log.bool("enabled", true),
                    log.choice("format", FORMATS, base.accessLogFormat()));
        }
        if (s.has("accessLog") && !s.raw("accessLog").isBoolean()) {
            s.problem("accessLog", "expected true, false or an object {\"enabled\": true, \"format\": \"text\" or"
                    + " \"json\"}");
            return new Options(timeouts, limits, proxies, base.accessLog(), base.accessLogFormat());
        }
        return new Options(timeouts, limits, proxies, s.bool("accessLog", base.accessLog()), base.accessLogFormat());
    }

    private static Timeouts timeouts(Section t, Timeouts base) {
        return new Timeouts(t.duration("connect", base.connect()), t.duration("firstByte", base.firstByte()),
                t.duration("clientIdle", base.clientIdle()), t.duration("serverIdle", base.serverIdle()),
                t.duration("shutdown", base.shutdown()), positive(t, "requestHead", base.requestHead()),
                t.integer("requestBodyMinRate", base.requestBodyMinRate(), 1, Integer.MAX_VALUE),
                positive(t, "requestBodyWindow", base.requestBodyWindow()), positive(t, "tunnelIdle",
                base.tunnelIdle()));
    }

    /** A duration that must be above zero; {@code orElse} (with the problem recorded) when it is not. */
    private static Duration positive(Section t, String key, Duration orElse) {
        Duration d = t.duration(key, orElse);
        if (d.isZero()) {
            t.problem(key, "expected a duration above zero");
            return orElse;
        }
        return d;
    }

    private static Limits limits(Section l, Limits base) {
        return new Limits(l.integer("maxRequestLine", base.maxRequestLine(), 64, Integer.MAX_VALUE),
                l.integer("maxHeaderSize", base.maxHeaderSize(), 256, Integer.MAX_VALUE),
                l.integer("maxPooledPerServer", base.maxPooledPerServer(), 0, Integer.MAX_VALUE),
                l.integer("maxRetries", base.maxRetries(), 0, Integer.MAX_VALUE),
                l.integer("maxConnections", base.maxConnections(), 0, Integer.MAX_VALUE),
                l.integer("maxConnectionsPerClient", base.maxConnectionsPerClient(), 0, Integer.MAX_VALUE));
    }

    private static List<Cidr> cidrs(Section s, String key) {
        List<Cidr> out = new ArrayList<>();
        List<JsonNode> nodes = s.array(key);
        for (int i = 0; i < nodes.size(); i++) {
            Section.findCidr(nodes.get(i), s.path(key) + "[" + i + "]", s.errors()).ifPresent(out::add);
        }
        return out;
    }
}
