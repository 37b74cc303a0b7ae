package dev.switchboard.netty.internal.tcp;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import java.time.Duration;
import java.util.function.Function;

/**
 * What every connection of one {@code TcpProxy} shares: the transport for upstream connections, the dispatcher and
 * the listener's settings. Immutable.
 *
 * @param transport  event loops and channel classes
 * @param dispatcher the engine's layer-4 dispatch for this virtual service
 * @param settings   timeouts and limits
 * @param sniffWait  how long to wait for a client's first bytes
 */
public record TcpRoute(NettyTransport transport, Function<ConnectionView, Decision> dispatcher,
        ListenerSettings settings, Duration sniffWait) {
}
