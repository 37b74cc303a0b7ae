package dev.switchboard.engine.internal.rewrite;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.RequestView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The request as rewritten so far by header rules: path, host and the header edits in order. Created only when
 * a virtual service or sub-service has request rules. Not thread-safe; one per dispatch.
 *
 * <p>As a {@link RequestView} it is the request as the rules left it, for the steps that come after them (content
 * switching, rule conditions, persistence keys): {@link #header} and {@link #combinedHeader} answer with the edits
 * applied (a set replaces the values, an add appends one, a remove drops them). Everything else is the client's
 * request as received: {@link #rawPath()} and {@link #authority()} stay the raw ones (the engine passes the
 * rewritten {@link #path()} and {@link #host()} alongside), and no rule changes the method, the query or the
 * addresses.
 */
public final class RequestRewrite implements RequestView {

    private final RequestView request;
    private String path;
    private String host;
    private boolean hostRewritten;
    private List<HeaderEdit> edits;

    public RequestRewrite(RequestView request, String path, String host) {
        this.request = request;
        this.path = path;
        this.host = host;
    }

    /** The normalized path as rewritten so far. */
    public String path() {
        return path;
    }

    /** The normalized host as rewritten so far. */
    public String host() {
        return host;
    }

    void path(String path) {
        this.path = path;
    }

    void host(String host) {
        this.host = host;
        this.hostRewritten = true;
    }

    /** Whether a rule rewrote the host. */
    public boolean hostRewritten() {
        return hostRewritten;
    }

    /** Replaces the path with its normalized form (after a rewrite). */
    public void normalizedPath(String path) {
        this.path = path;
    }

    /** Replaces the host with its normalized form (after a rewrite). */
    public void normalizedHost(String host) {
        this.host = host;
    }

    /** Adds {@code edit} after the edits so far (header rules, pre-authentication). */
    public void edit(HeaderEdit edit) {
        if (edits == null) {
            edits = new ArrayList<>(4);
        }
        edits.add(edit);
    }

    /** The first value of a header once the edits so far are applied, or null. */
    @Override
    public String header(String name) {
        return edited(name, request.header(name), false);
    }

    /** Every value of a header joined with {@code ", "} once the edits so far are applied, or null. */
    @Override
    public String combinedHeader(String name) {
        return edited(name, request.combinedHeader(name), true);
    }

    /**
     * {@code value} with the edits of header {@code name} applied in order: a set replaces it, a remove drops it,
     * an add appends ({@code join}) or only fills an absent value (the first value stays first).
     */
    private String edited(String name, String value, boolean join) {
        if (edits != null) {
            for (HeaderEdit e : edits) {
                if (e.name().equalsIgnoreCase(name)) {
                    value = switch (e.op()) {
                        case SET -> e.value();
                        case ADD -> value == null ? e.value() : join ? value + ", " + e.value() : value;
                        case REMOVE -> null;
                    };
                }
            }
        }
        return value;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String scheme() {
        return request.scheme();
    }

    @Override
    public String authority() {
        return request.authority();
    }

    @Override
    public String rawPath() {
        return request.rawPath();
    }

    @Override
    public String query() {
        return request.query();
    }

    @Override
    public InetAddress sourceAddress() {
        return request.sourceAddress();
    }

    @Override
    public String tlsServerName() {
        return request.tlsServerName();
    }

    @Override
    public String tlsSessionId() {
        return request.tlsSessionId();
    }

    /** The edits in order, immutable. */
    public List<HeaderEdit> edits() {
        return edits == null ? List.of() : List.copyOf(edits);
    }
}
