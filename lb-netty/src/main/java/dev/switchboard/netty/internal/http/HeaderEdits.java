package dev.switchboard.netty.internal.http;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.netty.internal.upstream.HeaderLines;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Applies the engine's header edits to Netty headers, in order; a value that cannot go on the wire as it is (see
 * {@link HeaderLines#checkValue}) is an {@link IllegalArgumentException}, as Netty's own validation of names and
 * values. Stateless.
 */
final class HeaderEdits {

    private HeaderEdits() {
    }

    static void apply(HttpHeaders headers, List<HeaderEdit> edits) {
        for (int i = 0; i < edits.size(); i++) {
            HeaderEdit e = edits.get(i);
            if (e.op() != HeaderEdit.Op.REMOVE) {
                HeaderLines.checkValue(e.name(), e.value());
            }
            switch (e.op()) {
                case SET -> headers.set(e.name(), e.value());
                case ADD -> headers.add(e.name(), e.value());
                case REMOVE -> headers.remove(e.name());
                default -> throw new IllegalStateException("unknown header edit " + e.op());
            }
        }
    }
}
