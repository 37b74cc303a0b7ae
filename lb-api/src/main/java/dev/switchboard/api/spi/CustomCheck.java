package dev.switchboard.api.spi;

import dev.switchboard.api.Address;
import java.util.concurrent.CompletionStage;

/**
 * A health probe of your own (a database ping, an SMTP banner, a gRPC health call), scheduled by
 * the health checker (lb-health's {@code HealthChecker}) with the check's interval, timeout, rise and fall like any
 * built-in probe. Create the check with {@link dev.switchboard.api.HealthCheck#custom(String, CustomCheck)}.
 *
 * <pre>{@code
 * CustomCheck smtp = address -> smtpClient.banner(address.host(), address.port())
 *         .thenApply(b -> b.startsWith("220") ? CheckResult.up("banner 220") : CheckResult.down("banner " + b));
 * HealthCheck check = HealthCheck.custom("smtp-banner", smtp).interval(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <p>Contract: {@link #check} should return at once with a stage that completes later, and must be thread-safe
 * (it may be called for several addresses at once). The checker calls it on a thread of its own, never on the
 * checker's loop, so a check that blocks delays only other custom checks. A stage that does not complete within the
 * check's timeout counts as a failure ({@code timeout}); a check that throws, returns null, or completes
 * exceptionally or with null counts as a failure with that reason. None of these stops the checker.
 */
@FunctionalInterface
public interface CustomCheck {

    /**
     * Probes {@code address} (the real server's, or its host with the check's port).
     *
     * @return the verdict, later
     */
    CompletionStage<CheckResult> check(Address address);
}
