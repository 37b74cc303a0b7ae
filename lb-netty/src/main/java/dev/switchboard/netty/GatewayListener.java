package dev.switchboard.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One bound listener of the gateway: an HTTP/HTTPS virtual service, a TCP virtual service or the admin API.
 * Thread-safe.
 */
public interface GatewayListener {

    /** The address it is bound to (the real port when the configuration said port 0). */
    InetSocketAddress localAddress();

    /**
     * Stops accepting at once, lets in-flight requests or connections finish for at most {@code grace}, then closes
     * whatever is left. Calling it again returns the same future.
     */
    CompletableFuture<Void> close(Duration grace);

    /**
     * Once {@link #close} was called: completes when the listening socket is closed, so that its address can be
     * bound again, while in-flight work may still be draining. By default, when {@code close} completes.
     */
    default CompletableFuture<Void> unbound() {
        return close(Duration.ZERO);
    }
}
