package dev.switchboard.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A response head as HTTP/2 headers: lower-case names, no connection-specific field (RFC 9113 8.2.2). */
class StreamResponsesTest {

    private static Map<String, String> fields(Http2Headers h) {
        Map<String, String> out = new HashMap<>();
        h.forEach(e -> out.put(e.getKey().toString(), e.getValue().toString()));
        return out;
    }

    @Test
    void connectionSpecificFieldsAndTheFieldsConnectionNames_leftOut_othersLowerCased() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().add("Connection", "X-Hop, keep-alive").add("X-Hop", "1").add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "close").add("Transfer-Encoding", "chunked").add("Upgrade", "h2c")
                .add("Content-Type", "text/plain").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");

        Http2Headers h = StreamResponses.headers(head);

        assertThat(fields(h)).containsOnlyKeys(":status", "content-type", "set-cookie")
                .containsEntry(":status", "200").containsEntry("content-type", "text/plain");
        assertThat(h.getAll("set-cookie")).hasSize(2);
    }

    @Test
    void headWithoutConnection_keepsEveryOtherField() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        head.headers().add("content-length", "9").add("X-Upgrade-Note", "none");

        assertThat(fields(StreamResponses.headers(head))).containsOnlyKeys(":status", "content-length",
                "x-upgrade-note").containsEntry(":status", "404");
    }
}
