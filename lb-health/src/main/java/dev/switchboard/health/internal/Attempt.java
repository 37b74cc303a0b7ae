package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One probe in flight, and its timeout (as a loop timer); apart from {@code to} (set by the resolver), touched only
 * by the loop thread.
 */
final class Attempt extends HealthLoop.Timer implements HealthLoop.Io {
    final TcpProbe probe;
    final Address address;
    final HealthCheck check;
    final ProxyProtocol proxyProtocol;
    final Consumer<ProbeOutcome> callback;
    final long start;
    volatile InetSocketAddress to;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer buffer;
    /** The PROXY protocol header still to write on this probe's new connection; null when none is sent. */
    ByteBuffer header;
    /** Whether the socket is closed with a FIN rather than a reset (a TCP probe that sent a PROXY header). */
    boolean graceful;
    HttpTargetState target;
    HttpExchange http;
    boolean connected;
    boolean reused;
    boolean retried;
    boolean done;

    Attempt(TcpProbe probe, Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback, long start) {
        this.probe = probe;
        this.address = address;
        this.check = check;
        this.proxyProtocol = proxyProtocol;
        this.callback = callback;
        this.start = start;
    }

    @Override
    public void ready(SelectionKey key) {
        probe.ready(key, this);
    }

    /** The timeout; the latency is measured on the system's clock, as {@code start} is (not on the loop's ticker). */
    @Override
    protected void fire(long now) {
        finish(ProbeOutcome.failed("timeout", System.nanoTime() - start));
    }

    /**
     * Closes the socket, or keeps it for the next probe after a success that allows it, and reports, once; later
     * calls do nothing.
     */
    void finish(ProbeOutcome outcome) {
        if (done) {
            return;
        }
        done = true;
        cancel(); // the timeout
        if (target != null) {
            if (outcome.success() && http != null && http.keepAlive() && key != null && target.keep(key)) {
                channel = null; // kept
            }
            target.done(http);
        }
        close();
        try {
            callback.accept(outcome);
        } catch (RuntimeException e) {
            // the checker's callback only hands the outcome on; a closed checker may refuse it
        }
    }

    void close() {
        if (channel != null) {
            if (graceful) {
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, -1);
                } catch (IOException | RuntimeException ignored) {
                    // closed with a reset then
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the probe is over
            }
        }
    }
}
