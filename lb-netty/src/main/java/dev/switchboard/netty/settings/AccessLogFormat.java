package dev.switchboard.netty.settings;

import java.util.Locale;

/**
 * How the access log ({@code switchboard.access}) writes its line per request.
 *
 * <pre>{@code
 * ListenerSettings.builder("mail", listen, Protocol.HTTP).accessLogFormat(AccessLogFormat.JSON).build();
 * }</pre>
 */
public enum AccessLogFormat {
    /**
     * The default, for people: {@code mail owa ex01 127.0.0.1:9001 client=192.0.2.7 "GET /owa/" 200 12.3ms in=0
     * out=5120}.
     */
    TEXT,
    /**
     * One JSON object per line, for log pipelines: the same fields plus the time and the time to first byte,
     * {@code {"time":"2026-12-06T17:00:00.123Z","virtualService":"mail",...,"totalMs":12.345,"ttfbMs":11.9}}.
     */
    JSON;

    /** The configuration name: {@code text} or {@code json}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
