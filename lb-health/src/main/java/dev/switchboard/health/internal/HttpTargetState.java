package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.io.IOException;
import java.nio.channels.SelectionKey;

/**
 * What the {@link TcpProbe} keeps for one plain-HTTP target (an address and a check) between probes: the
 * request bytes, made once; one {@link HttpExchange} whose buffers the probes reuse; and, when the check reuses its
 * connection, the idle connection left by the last probe, registered with the selector for reads (so that a close
 * by the server, or bytes it sends while idle, are noticed and the socket is closed). Apart from the final fields,
 * touched only by the {@link HealthLoop} thread.
 */
final class HttpTargetState implements HealthLoop.Io {

    final HealthCheck check;
    final byte[] request;
    private final HttpExchange exchange;
    private boolean exchangeInUse;
    private SelectionKey idle;
    private boolean released;

    /** @throws IllegalArgumentException when the request cannot be made */
    HttpTargetState(Address address, HealthCheck check) {
        this.check = check;
        this.request = ProbeRequest.bytes(address, check);
        this.exchange = new HttpExchange(check, request);
    }

    /** An exchange for the next probe: the kept one, reset, unless a probe still uses it (then a new one). */
    HttpExchange exchange() {
        if (exchangeInUse) {
            return new HttpExchange(check, request);
        }
        exchangeInUse = true;
        exchange.reset();
        return exchange;
    }

    /** A probe is over with {@code e}. */
    void done(HttpExchange e) {
        if (e == exchange) {
            exchangeInUse = false;
        }
    }

    /** Takes the idle connection's key (its attachment is this state until the caller attaches its own), if any. */
    SelectionKey takeIdle() {
        SelectionKey k = idle;
        idle = null;
        return k != null && k.isValid() ? k : null;
    }

    /**
     * Keeps {@code key}'s connection for the next probe, watched for reads; returns false (the caller closes it) when
     * the target was released or already keeps one.
     */
    boolean keep(SelectionKey key) {
        if (released || idle != null || !key.isValid()) {
            return false;
        }
        key.attach(this);
        key.interestOps(SelectionKey.OP_READ);
        idle = key;
        return true;
    }

    /** The idle connection became readable: a close, a reset or unexpected bytes; in each case it is closed. */
    @Override
    public void ready(SelectionKey key) {
        if (key == idle) {
            idle = null;
        }
        close(key);
    }

    /** No target uses this check on this address any more: closes the idle connection, keeps none from now on. */
    void release() {
        released = true;
        SelectionKey k = idle;
        idle = null;
        if (k != null) {
            close(k);
        }
    }

    private static void close(SelectionKey key) {
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped
        }
    }
}
