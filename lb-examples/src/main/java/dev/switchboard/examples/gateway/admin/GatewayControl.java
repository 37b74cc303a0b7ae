package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.EventHistory;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.netty.limit.ConnectionBudget;

import java.util.Optional;

/**
 * What the admin API may see and do in a running gateway. Implemented by the gateway; the admin server depends
 * only on this. Thread-safe.
 */
public interface GatewayControl {

    /** The engine every listener dispatches through (stats, admin states, explain). */
    DispatchEngine engine();

    /** The configuration the gateway runs now. */
    GatewayConfig config();

    /** The last active probe of one real server in one sub-service, if it has a health check and was probed. */
    Optional<ProbeView> findLastProbe(String virtualService, String subService, String server);

    /** The gateway-wide connection cap and, through it, each listener's connection limits and refusals. */
    default Optional<ConnectionBudget> findConnectionBudget() {
        return Optional.empty();
    }

    /** The history of state changes ({@code GET /api/events}, the stats page's recent events), if one is kept. */
    default Optional<EventHistory> findEventHistory() {
        return Optional.empty();
    }

    /**
     * Reads the configuration file again and swaps it in (engine state, persistence and counters kept).
     *
     * @throws dev.switchboard.config.ConfigFileException if the file is invalid; nothing changes then
     * @throws IllegalStateException if the gateway was not started from a file
     */
    void reload();
}
