package dev.switchboard.api.spi;

import java.util.concurrent.CompletionStage;

/**
 * Checks a user's name and password against a directory (LDAP, RADIUS, a host's own store) for edge
 * pre-authentication: the gateway asks it when a client logs in on the login page or sends {@code Authorization:
 * Basic}, and lets the request reach a real server only when the answer is
 * {@link AuthenticationResult.Status#ACCEPTED}.
 *
 * <p>The answer is asynchronous: an implementation must never block the calling thread (it runs on the host's I/O
 * threads) and must complete the stage within its own timeout, with {@link AuthenticationResult#unavailable} when
 * the directory is down or slow (the host answers 503 then and counts no failed login against the user). A stage
 * completed exceptionally is treated as unavailable. Implementations are thread-safe and never log a password.
 *
 * <pre>{@code
 * Authenticator ldap = LdapAuthenticator.builder("ldap://127.0.0.1:389")
 *         .userDnPattern("uid={user},ou=people,dc=example,dc=test")
 *         .build();
 * ldap.authenticate(Credentials.of("alice", "secret", "192.0.2.7"))
 *         .thenAccept(result -> System.out.println(result.status()));
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

    /** Checks {@code credentials}; the stage completes with the verdict, never with {@code null}. */
    CompletionStage<AuthenticationResult> authenticate(Credentials credentials);
}
