package dev.switchboard.engine.internal.rewrite;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.RequestView;
import java.util.ArrayList;
import java.util.List;

/**
 * The request as rewritten so far by header rules: path, host and the header edits in order. Created only when
 * a virtual service or sub-service has request rules. Not thread-safe; one per dispatch.
 */
public final class RequestRewrite {

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

    public String path() {
        return path;
    }

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

    void edit(HeaderEdit edit) {
        if (edits == null) {
            edits = new ArrayList<>(4);
        }
        edits.add(edit);
    }

    /** The current value of a header: the last set/add/remove edit for it, else the request's own. */
    String header(String name) {
        if (edits != null) {
            for (int i = edits.size() - 1; i >= 0; i--) {
                HeaderEdit e = edits.get(i);
                if (e.name().equalsIgnoreCase(name)) {
                    return e.op() == HeaderEdit.Op.REMOVE ? null : e.value();
                }
            }
        }
        return request.header(name);
    }

    /** The edits in order, immutable. */
    public List<HeaderEdit> edits() {
        return edits == null ? List.of() : List.copyOf(edits);
    }
}
