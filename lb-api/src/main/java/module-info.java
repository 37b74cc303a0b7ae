/**
 * The model and contracts of Switchboard: {@code LoadBalancer} and its virtual services, sub-services, real
 * servers and rules; the request and connection views a host hands in and the {@code Decision} it gets back
 * ({@code dev.switchboard.api}); the plug-in points ({@code dev.switchboard.api.spi}) and engine events
 * ({@code dev.switchboard.api.event}). No dependencies beyond {@code java.base}.
 *
 * <p>{@code dev.switchboard.api.internal} holds validation plumbing shared with the sibling modules and is exported
 * to them alone.
 */
@SuppressWarnings("module")   // the modules of the qualified export are not built yet when this one is
module dev.switchboard.api {
    exports dev.switchboard.api;
    exports dev.switchboard.api.event;
    exports dev.switchboard.api.spi;

    exports dev.switchboard.api.internal to
            dev.switchboard.engine,
            dev.switchboard.tls,
            dev.switchboard.health,
            dev.switchboard.config;
}
