package dev.switchboard.benchmarks.cluster;

import dev.switchboard.api.RequestView;
import java.net.InetAddress;

/**
 * {@code GET http://edge.example.com/} from one client, as a host that keeps its own request object would show it:
 * no headers, and a source address the owner may change between dispatches (a new client on a reused request
 * object, without copying anything). Not thread-safe: one per thread.
 */
final class Visitor implements RequestView {

    private InetAddress source;

    Visitor(InetAddress source) {
        this.source = source;
    }

    void source(InetAddress address) {
        this.source = address;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String authority() {
        return ReplicatedDispatchBenchmark.HOST;
    }

    @Override
    public String rawPath() {
        return "/";
    }

    @Override
    public String query() {
        return "";
    }

    @Override
    public String header(String name) {
        return null;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }
}
