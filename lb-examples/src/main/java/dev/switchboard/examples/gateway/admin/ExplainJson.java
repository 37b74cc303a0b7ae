package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.Target;
import dev.switchboard.engine.DecisionTrace;

import java.util.List;
import java.util.Locale;

/** Renders a {@link DecisionTrace} as the JSON of {@code GET /api/explain}. */
final class ExplainJson {

    private ExplainJson() {
    }

    static ObjectNode render(String virtualService, HttpRequest request, DecisionTrace trace) {
        ObjectNode root = AdminResponse.JSON.createObjectNode();
        root.put("virtualService", virtualService);
        ObjectNode r = root.putObject("request");
        r.put("method", request.method());
        r.put("scheme", request.scheme());
        r.put("host", request.authority());
        r.put("path", request.rawPath());
        r.put("query", request.query());
        r.put("source", request.sourceAddress().getHostAddress());
        ArrayNode steps = root.putArray("steps");
        trace.steps().forEach(steps::add);
        decision(root.putObject("decision"), trace.decision());
        return root;
    }

    private static void decision(ObjectNode d, Decision decision) {
        if (decision instanceof Decision.Forward f) {
            d.put("type", "forward");
            target(d.putObject("target"), f.target());
            d.put("path", f.path());
            d.put("query", f.query());
            d.put("host", f.host());
            edits(d.putArray("requestEdits"), f.requestEdits());
        } else if (decision instanceof Decision.Redirect r) {
            d.put("type", "redirect");
            d.put("status", r.status());
            d.put("location", r.location());
        } else if (decision instanceof Decision.Respond r) {
            d.put("type", "respond");
            d.put("status", r.status());
            d.put("reason", r.reason());
            edits(d.putArray("headers"), r.headers());
        } else if (decision instanceof Decision.Queued q) {
            q.future().cancel(false); // nobody will wait for it: the engine releases a late forward
            d.put("type", "queued");
        } else if (decision instanceof Decision.Authenticate a) {
            d.put("type", "authenticate"); // the credentials' user only: never the password
            d.put("subService", a.subService());
            d.put("user", a.credentials().user());
            decision(d.putObject("challenge"), a.challenge());
        }
    }

    private static void target(ObjectNode t, Target target) {
        t.put("virtualService", target.virtualService());
        t.put("subService", target.subService());
        t.put("server", target.server());
        t.put("address", target.address().toString());
        t.put("sorry", target.sorry());
    }

    private static void edits(ArrayNode out, List<HeaderEdit> edits) {
        for (HeaderEdit e : edits) {
            ObjectNode n = out.addObject();
            n.put("op", e.op().name().toLowerCase(Locale.ROOT));
            n.put("name", e.name());
            n.put("value", e.value());
        }
    }
}
