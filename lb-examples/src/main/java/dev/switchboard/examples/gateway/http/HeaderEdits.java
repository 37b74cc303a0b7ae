package dev.switchboard.examples.gateway.http;

import dev.switchboard.api.HeaderEdit;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Applies the engine's header edits to Netty headers, in order. Stateless. */
final class HeaderEdits {

    private HeaderEdits() {
    }

    static void apply(HttpHeaders headers, List<HeaderEdit> edits) {
        for (int i = 0; i < edits.size(); i++) {
            HeaderEdit e = edits.get(i);
            switch (e.op()) {
                case SET -> headers.set(e.name(), e.value());
                case ADD -> headers.add(e.name(), e.value());
                case REMOVE -> headers.remove(e.name());
                default -> throw new IllegalStateException("unknown header edit " + e.op());
            }
        }
    }
}
