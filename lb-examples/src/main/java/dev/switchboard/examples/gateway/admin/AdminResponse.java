package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of the admin API, before it goes over the wire. Immutable.
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body        the body bytes (not copied: callers hand over a fresh array)
 * @param headers     extra headers (e.g. {@code Allow}, {@code Content-Security-Policy})
 */
record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** Strict: a duplicate key or anything after the value is a bad body. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String HTML_TYPE = "text/html; charset=utf-8";

    AdminResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    static AdminResponse json(int status, JsonNode node) {
        try {
            return new AdminResponse(status, JSON_TYPE, JSON.writeValueAsBytes(node), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own could not be written", e);
        }
    }

    static AdminResponse html(int status, String html, Map<String, String> headers) {
        return new AdminResponse(status, HTML_TYPE, html.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** {@code {"error": message}} with {@code status}. */
    static AdminResponse error(int status, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        return json(status, node);
    }

    /** {@code {"error": message, "errors": [...]}} with {@code status}. */
    static AdminResponse errors(int status, String message, List<String> lines) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        ArrayNode errors = node.putArray("errors");
        lines.forEach(errors::add);
        return json(status, node);
    }

    /** 405 with the {@code Allow} header. */
    static AdminResponse methodNotAllowed(String method, String allowed) {
        AdminResponse r = error(405, "method: " + method + " (expected: " + allowed + ")");
        return r.withHeader("Allow", allowed);
    }

    AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, contentType, body, more);
    }
}
