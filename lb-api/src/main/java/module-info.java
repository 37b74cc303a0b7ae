/**
 * The model and contracts of Switchboard: {@code LoadBalancer} and its virtual services, sub-services, real
 * servers and rules; the request and connection views a host hands in and the {@code Decision} it gets back
 * ({@code dev.switchboard.api}); the plug-in points ({@code dev.switchboard.api.spi}) and engine events
 * ({@code dev.switchboard.api.event}). No dependencies beyond {@code java.base}. Every exported package is
 * exported to all: the sibling modules validate through the public {@code Violation} and
 * {@code ConfigurationException}.
 */
module dev.switchboard.api {
    exports dev.switchboard.api;
    exports dev.switchboard.api.event;
    exports dev.switchboard.api.spi;
}
