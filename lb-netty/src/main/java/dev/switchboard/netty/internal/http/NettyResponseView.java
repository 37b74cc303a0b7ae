package dev.switchboard.netty.internal.http;

import dev.switchboard.api.ResponseView;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;

/** A real server's response head as the lease sees it, over Netty's header table. Event loop only. */
final class NettyResponseView implements ResponseView {

    private final HttpResponse head;

    NettyResponseView(HttpResponse head) {
        this.head = head;
    }

    @Override
    public int status() {
        return head.status().code();
    }

    @Override
    public String header(String name) {
        return head.headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return head.headers().getAll(name);
    }
}
