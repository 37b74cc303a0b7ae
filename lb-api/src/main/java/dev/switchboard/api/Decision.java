package dev.switchboard.api;

import dev.switchboard.api.spi.Credentials;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the engine decided for one request or connection: a value, never null. Switch over it:
 *
 * <pre>{@code
 * switch (engine.dispatch("mail", request)) {
 *     case Decision.Forward f -> proxyTo(f.target().address(), f.path(), f.requestEdits(), f);
 *     case Decision.Redirect r -> answer(r.status(), "Location", r.location());
 *     case Decision.Respond r -> answer(r.status(), r.headers());
 *     case Decision.Queued q -> q.future().thenAccept(this::handle);
 *     case Decision.Authenticate a -> preAuth.check(a).thenAccept(this::handleLogin);
 * }
 * }</pre>
 * (pattern matching for switch needs Java 21; on 17 use {@code instanceof}).
 */
public sealed interface Decision
        permits Decision.Forward, Decision.Redirect, Decision.Respond, Decision.Queued, Decision.Authenticate {

    /**
     * Send the request (or connection) to {@link #target()}, with the path and host shown and the header edits
     * applied in order. It is also the {@link Lease}: report the response to it and release it when done.
     */
    non-sealed interface Forward extends Decision, Lease {

        /** Where to send it. */
        Target target();

        /** The normalized, possibly rewritten path (no query); {@code /} for layer 4. */
        String path();

        /** The query string, without {@code ?}. */
        String query();

        /** The value for the Host header: the authority as received, or the rewritten host. */
        String host();

        /** Header changes to make to the request, in order. */
        List<HeaderEdit> requestEdits();

        /**
         * The user pre-authentication let through (from a valid SSO cookie, or given to {@code
         * dispatchAuthenticated}), or empty when the sub-service does not authenticate or the path is exempt. The
         * request edits already carry it in {@code X-Authenticated-User}.
         */
        default String authenticatedUser() {
            return "";
        }
    }

    /**
     * Answer with a redirect.
     *
     * @param status 301, 302, 303, 307 or 308
     * @param location the value of the Location header
     */
    record Redirect(int status, String location) implements Decision {
        public Redirect {
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * Answer the client directly: 400 for a request that cannot be normalized, 403 for a deny rule, 404 when no
     * sub-service matches, 503 (with Retry-After) when nothing is eligible.
     *
     * @param status the status code
     * @param reason a short, safe explanation (no request data beyond what is escaped)
     * @param headers headers to put on the answer
     */
    record Respond(int status, String reason, List<HeaderEdit> headers) implements Decision {
        public Respond {
            Objects.requireNonNull(reason, "reason");
            headers = List.copyOf(headers);
        }

        public static Respond of(int status, String reason) {
            return new Respond(status, reason, List.of());
        }

        /** 503 with {@code Retry-After}. */
        public static Respond unavailable(String reason, int retryAfterSeconds) {
            return new Respond(503, reason,
                    List.of(HeaderEdit.set("Retry-After", Integer.toString(retryAfterSeconds))));
        }
    }

    /**
     * Every eligible server is at its connection limit: the future completes with a {@link Forward} when a slot
     * frees, or with a 503 {@link Respond} when the queue timeout passes. Cancel it when the client goes away; a
     * forward that arrives after that is released by the engine.
     *
     * @param future completes with the decision, never exceptionally
     */
    record Queued(CompletableFuture<Decision> future) implements Decision {
        public Queued {
            Objects.requireNonNull(future, "future");
        }
    }

    /**
     * The sub-service authenticates its clients and the request carries credentials ({@code Authorization: Basic})
     * but no valid SSO cookie: check {@link #credentials()} asynchronously (with an {@code Authenticator}, through
     * the engine's {@code PreAuthentication} coordinator for its cache and lockouts), then dispatch the request again
     * with the verified user ({@code dispatchAuthenticated}); answer {@link #challenge()} when they are rejected. No
     * slot was taken and nothing was counted as traffic.
     *
     * @param virtualService the virtual service's name
     * @param subService the sub-service that asked for authentication
     * @param credentials the user and password from the request, with the client's address
     * @param challenge the answer for rejected credentials: a 401 with {@code WWW-Authenticate} (basic) or a redirect
     *                  to the login page (form)
     */
    record Authenticate(String virtualService, String subService, Credentials credentials, Decision challenge)
            implements Decision {
        public Authenticate {
            Objects.requireNonNull(virtualService, "virtualService");
            Objects.requireNonNull(subService, "subService");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(challenge, "challenge");
        }
    }
}
