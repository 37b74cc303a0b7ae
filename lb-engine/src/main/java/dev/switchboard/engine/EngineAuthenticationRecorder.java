package dev.switchboard.engine;

import dev.switchboard.api.event.AuthenticationEvent;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.engine.auth.AuthenticationRecorder;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link AuthenticationRecorder}: counts in the named virtual service's counters (those survive a
 * reconfiguration that keeps the name; an unknown name counts nowhere) and sends logins, failures and lockouts to
 * the engine's listener on the calling thread (a handler that throws is logged and ignored). Thread-safe.
 */
final class EngineAuthenticationRecorder implements AuthenticationRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);

    /** Counts of names no table knows. */
    private static final ServiceCounters NOWHERE = new ServiceCounters();

    private final Supplier<RoutingTable> table;
    private final EngineListener listener;

    EngineAuthenticationRecorder(Supplier<RoutingTable> table, EngineListener listener) {
        this.table = table;
        this.listener = listener;
    }

    @Override
    public void login(String virtualService, String user, String client, boolean cached) {
        counters(virtualService).login(cached);
        if (!cached) {
            tell(new AuthenticationEvent(virtualService, AuthenticationEvent.What.LOGIN, user, client, ""));
        }
    }

    @Override
    public void failure(String virtualService, String user, String client, String reason) {
        counters(virtualService).loginFailed();
        tell(new AuthenticationEvent(virtualService, AuthenticationEvent.What.FAILURE, user, client, reason));
    }

    @Override
    public void lockout(String virtualService, String user, String client, String reason) {
        counters(virtualService).lockout();
        tell(new AuthenticationEvent(virtualService, AuthenticationEvent.What.LOCKOUT, user, client, reason));
    }

    @Override
    public void refused(String virtualService, boolean locked) {
        counters(virtualService).loginRefused(locked);
    }

    /**
     * The counters of {@code name} in the routing table in force (one map lookup; they survive a reconfiguration
     * that keeps the name), or counters that nobody reads for a name no table knows.
     */
    private ServiceCounters counters(String name) {
        CompiledVirtualService vs = table.get().virtualService(name);
        return vs == null ? NOWHERE : vs.counters();
    }

    private void tell(AuthenticationEvent event) {
        try {
            listener.onAuthentication(event);
        } catch (RuntimeException e) {
            LOG.warn("engine listener threw on an authentication event; ignored", e);
        }
    }
}
