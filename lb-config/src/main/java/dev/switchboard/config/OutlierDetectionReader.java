package dev.switchboard.config;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.Violation;

import java.util.Optional;
import java.util.Set;

/**
 * A sub-service's {@code outlierDetection}: passive detection from real traffic is on by default in the gateway
 * ({@link OutlierDetection#ofDefaults()}); {@code false} turns it off, an object tunes it.
 */
final class OutlierDetectionReader {

    static final Set<String> KEYS = Set.of("consecutiveFailures", "failureRatePercent", "windowCalls",
            "minimumCalls", "baseEjectionTime", "maxEjectionTime", "maxEjectionPercent", "halfOpenCalls");

    private OutlierDetectionReader() {
    }

    /** The detection of sub-service {@code s}; empty when turned off or invalid (recorded). */
    static Optional<OutlierDetection> find(Section s, ConfigErrors errors) {
        if (!s.has("outlierDetection")) {
            return Optional.of(OutlierDetection.ofDefaults());
        }
        if (s.raw("outlierDetection").isBoolean()) {
            return s.bool("outlierDetection", true) ? Optional.of(OutlierDetection.ofDefaults()) : Optional.empty();
        }
        Optional<Section> section = s.findObject("outlierDetection", KEYS);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Section o = section.get();
        OutlierDetection.Builder b = OutlierDetection.builder();
        o.findInteger("consecutiveFailures", 1, Integer.MAX_VALUE).ifPresent(b::consecutiveFailures);
        int percent = o.findInteger("failureRatePercent", 0, 100)
                .orElse(OutlierDetection.DEFAULT_FAILURE_RATE_PERCENT);
        int window = o.findInteger("windowCalls", 1, OutlierDetection.MAX_CALLS)
                .orElse(OutlierDetection.DEFAULT_WINDOW_CALLS);
        int minimum = o.findInteger("minimumCalls", 1, OutlierDetection.MAX_CALLS)
                .orElse(Math.min(window, OutlierDetection.DEFAULT_MINIMUM_CALLS));
        if (percent == 0) {
            b.noFailureRate();
        } else {
            b.failureRate(percent, window, minimum);
        }
        o.findDuration("baseEjectionTime").ifPresent(b::baseEjectionTime);
        o.findDuration("maxEjectionTime").ifPresent(b::maxEjectionTime);
        o.findInteger("maxEjectionPercent", 0, 100).ifPresent(b::maxEjectionPercent);
        o.findInteger("halfOpenCalls", 1, Integer.MAX_VALUE).ifPresent(b::halfOpenCalls);
        try {
            return Optional.of(b.build());
        } catch (ConfigurationException e) {
            for (Violation v : e.violations()) {
                String key = v.path().substring(v.path().lastIndexOf('.') + 1);
                errors.add(o.path(key), v.message(), o.raw(key));
            }
            return Optional.empty();
        }
    }
}
