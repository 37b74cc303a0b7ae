package dev.switchboard.netty.internal.http;

/**
 * Which virtual service answers a request on a connection, by its {@code Host}: on an address that serves one
 * virtual service, the connection's own ({@link #SINGLE}); on a shared address, the one the host names choose. It
 * runs per request, so each request of a keep-alive connection may go to another virtual service. Implementations
 * are immutable and thread-safe, and run on the event loop: no blocking, little allocation.
 */
@FunctionalInterface
public interface HostRouting {

    /** One virtual service on the address: every request goes to the connection's. */
    HostRouting SINGLE = (host, connection) -> connection;

    /**
     * The context of the virtual service that serves a request with {@code host} on a connection that
     * {@code connection} accepted, or null for none (answered 421 Misdirected Request).
     *
     * @param host the {@code Host} header as sent ({@code ""} when absent)
     */
    ProxyContext route(String host, ProxyContext connection);
}
