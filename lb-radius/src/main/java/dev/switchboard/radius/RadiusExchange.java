package dev.switchboard.radius;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.aaa4j.radius.client.RadiusClient;
import org.aaa4j.radius.client.RadiusClientException;
import org.aaa4j.radius.core.attribute.StringData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.NasIdentifier;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.aaa4j.radius.core.attribute.attributes.UserPassword;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.aaa4j.radius.core.packet.packets.AccessReject;
import org.aaa4j.radius.core.packet.packets.AccessRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Access-Request and its answer, run on a thread of {@link RadiusAuthenticator}: Access-Accept is accepted,
 * Access-Reject rejected, Access-Challenge (a second factor, which a login page cannot ask for) rejected; no answer,
 * an answer that fails the Response Authenticator check (a wrong shared secret) or a network error is unavailable.
 * Completes its stage once, never exceptionally. Not shared.
 */
final class RadiusExchange implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RadiusExchange.class);
    private static final String TIMEOUT_MESSAGE = "Timeout waiting for response";

    private final RadiusClient client;
    private final String server;
    private final String nasIdentifier;
    private final AuthenticationResult timeout;
    private final Credentials credentials;
    private final CompletableFuture<AuthenticationResult> verdict;

    RadiusExchange(RadiusClient client, String server, String nasIdentifier, AuthenticationResult timeout,
            Credentials credentials, CompletableFuture<AuthenticationResult> verdict) {
        this.client = client;
        this.server = server;
        this.nasIdentifier = nasIdentifier;
        this.timeout = timeout;
        this.credentials = credentials;
        this.verdict = verdict;
    }

    @Override
    public void run() {
        if (verdict.isDone()) {
            return;   // timed out while waiting for a thread
        }
        AuthenticationResult result;
        try {
            result = verdictFor(client.send(request()));
        } catch (RadiusClientException e) {
            result = unavailable(e);
        } catch (RuntimeException e) {
            log.debug("RADIUS request for {} failed", credentials.user(), e);
            result = AuthenticationResult.unavailable("radius request failed: " + e.getClass().getSimpleName());
        }
        if (verdict.complete(result)) {
            log.debug("RADIUS authentication of {} from {}: {}", credentials.user(), credentials.clientAddress(),
                    result);
        }
    }

    private Packet request() {
        return new AccessRequest(List.of(
                new UserName(new TextData(credentials.user())),
                new UserPassword(new StringData(credentials.password().getBytes(StandardCharsets.UTF_8))),
                new NasIdentifier(new TextData(nasIdentifier))));
    }

    private AuthenticationResult verdictFor(Packet response) {
        if (response instanceof AccessAccept) {
            return AuthenticationResult.accepted(credentials.user());
        }
        if (response instanceof AccessReject) {
            return RadiusAuthenticator.INVALID_CREDENTIALS;
        }
        if (response instanceof AccessChallenge) {
            return AuthenticationResult.rejected("radius challenge not supported (a second factor?)");
        }
        return AuthenticationResult.unavailable("radius unexpected response code " + response.getCode());
    }

    private AuthenticationResult unavailable(RadiusClientException e) {
        log.debug("RADIUS request for {} to {} failed: {}", credentials.user(), server, e.toString());
        if (TIMEOUT_MESSAGE.equals(e.getMessage())) {
            return timeout;
        }
        if (e.getCause() instanceof IOException) {
            return AuthenticationResult.unavailable("radius unreachable: " + server);
        }
        return AuthenticationResult.unavailable("radius response invalid (wrong shared secret?)");
    }
}
