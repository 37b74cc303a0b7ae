package dev.switchboard.engine.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HttpRequest;
import org.junit.jupiter.api.Test;

class RequestRewriteTest {

    private static RequestRewrite rewriteOf(HttpRequest request) {
        return new RequestRewrite(request, request.rawPath(), request.authority());
    }

    private static HttpRequest request(String header, String value) {
        return HttpRequest.builder().authority("example.com").target("/raw?q=1").header(header, value).build();
    }

    @Test
    void header_withoutEdits_isTheClientsValue() {
        RequestRewrite r = rewriteOf(request("x-a", "client"));

        assertThat(r.header("x-a")).isEqualTo("client");
        assertThat(r.combinedHeader("x-a")).isEqualTo("client");
        assertThat(r.header("x-b")).isNull();
    }

    @Test
    void header_setThenAdd_firstValueIsTheSetOne_combinedHasBoth() {
        RequestRewrite r = rewriteOf(request("x-a", "client"));
        r.edit(HeaderEdit.set("X-A", "set"));
        r.edit(HeaderEdit.add("X-A", "added"));

        assertThat(r.header("x-a")).isEqualTo("set");
        assertThat(r.combinedHeader("x-a")).isEqualTo("set, added");
    }

    @Test
    void header_addToPresentHeader_keepsTheClientsValueFirst() {
        RequestRewrite r = rewriteOf(request("x-a", "client"));
        r.edit(HeaderEdit.add("X-A", "added"));

        assertThat(r.header("x-a")).isEqualTo("client");
        assertThat(r.combinedHeader("x-a")).isEqualTo("client, added");
    }

    @Test
    void header_removeThenAdd_isOnlyTheAddedValue() {
        RequestRewrite r = rewriteOf(request("x-a", "client"));
        r.edit(HeaderEdit.remove("X-A"));
        assertThat(r.header("x-a")).isNull();
        assertThat(r.combinedHeader("x-a")).isNull();

        r.edit(HeaderEdit.add("X-A", "added"));

        assertThat(r.header("x-a")).isEqualTo("added");
        assertThat(r.combinedHeader("x-a")).isEqualTo("added");
    }

    @Test
    void view_pathAndHostRewrites_leaveTheRawRequestFieldsAsReceived() {
        RequestRewrite r = rewriteOf(request("x-a", "client"));
        r.path("/rewritten");
        r.host("backend.example.com");

        assertThat(r.path()).isEqualTo("/rewritten");
        assertThat(r.host()).isEqualTo("backend.example.com");
        assertThat(r.rawPath()).isEqualTo("/raw");
        assertThat(r.authority()).isEqualTo("example.com");
        assertThat(r.query()).isEqualTo("q=1");
    }
}
