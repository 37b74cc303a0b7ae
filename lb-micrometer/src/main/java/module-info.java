/**
 * The Micrometer binding of the Switchboard engine: {@code dev.switchboard.micrometer.SwitchboardMetrics} registers
 * a {@code DispatchEngine}'s counters, gauges and latency histograms with a {@code MeterRegistry}.
 */
@SuppressWarnings("requires-automatic")   // micrometer-core names itself micrometer.core in its manifest
module dev.switchboard.micrometer {
    requires transitive dev.switchboard.engine;
    requires transitive micrometer.core;
    requires org.slf4j;

    exports dev.switchboard.micrometer;

    uses dev.switchboard.micrometer.LatencyPublisher;
}
