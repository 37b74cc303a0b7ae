package dev.switchboard.api;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An immutable {@link RequestView} for hosts that have no request object of their own, for tests and examples.
 * Headers come either as name/value pairs or as a lookup function over the host's own table.
 *
 * <pre>{@code
 * HttpRequest r = HttpRequest.builder().method("GET").target("/owa/?ae=Item").authority("mail.example.com")
 *     .header("Cookie", "a=b").source(InetAddress.getLoopbackAddress()).build();
 * }</pre>
 */
public final class HttpRequest implements RequestView {

    private final String method;
    private final String scheme;
    private final String authority;
    private final String rawPath;
    private final String query;
    private final Function<String, String> headers;
    private final InetAddress source;
    private final String tlsServerName;
    private final String tlsSessionId;

    private HttpRequest(Builder b) {
        this.method = b.method;
        this.scheme = b.scheme;
        this.authority = b.authority;
        this.rawPath = b.rawPath;
        this.query = b.query;
        this.headers = b.lookup != null ? b.lookup : copyOf(b.headerMap);
        this.source = b.source;
        this.tlsServerName = b.tlsServerName;
        this.tlsSessionId = b.tlsSessionId;
    }

    private static Function<String, String> copyOf(Map<String, String> map) {
        Map<String, String> copy = new HashMap<>();
        map.forEach((name, value) -> copy.put(name.toLowerCase(Locale.ROOT), value));
        return name -> copy.get(isLowerCase(name) ? name : name.toLowerCase(Locale.ROOT));
    }

    private static boolean isLowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return true;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        return headers.apply(name);
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public String tlsServerName() {
        return tlsServerName;
    }

    @Override
    public String tlsSessionId() {
        return tlsSessionId;
    }

    @Override
    public String toString() {
        return method + " " + scheme + "://" + authority + rawPath + (query.isEmpty() ? "" : "?" + query);
    }

    /** Builds an {@link HttpRequest}. Not thread-safe. */
    public static final class Builder {
        private String method = "GET";
        private String scheme = "http";
        private String authority = "";
        private String rawPath = "/";
        private String query = "";
        private final Map<String, String> headerMap = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Function<String, String> lookup;
        private InetAddress source = InetAddress.getLoopbackAddress();
        private String tlsServerName = "";
        private String tlsSessionId = "";

        private Builder() {
        }

        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        public Builder scheme(String scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
            return this;
        }

        /** The Host header; also sets the {@code Host} header of the lookup. */
        public Builder authority(String authority) {
            this.authority = Objects.requireNonNull(authority, "authority");
            headerMap.put("Host", authority);
            return this;
        }

        /** The request target: {@code /path?query}; split at the first {@code ?}. */
        public Builder target(String target) {
            Objects.requireNonNull(target, "target");
            int q = target.indexOf('?');
            this.rawPath = q < 0 ? target : target.substring(0, q);
            this.query = q < 0 ? "" : target.substring(q + 1);
            return this;
        }

        /** Adds a header (a later value for the same name replaces an earlier one). */
        public Builder header(String name, String value) {
            headerMap.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Answers headers from the host's own table; replaces the pairs given with {@link #header}. */
        public Builder headers(Function<String, String> lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        public Builder source(InetAddress source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Builder tls(String serverName, String sessionId) {
            this.tlsServerName = Objects.requireNonNull(serverName, "serverName");
            this.tlsSessionId = Objects.requireNonNull(sessionId, "sessionId");
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(this);
        }
    }
}
