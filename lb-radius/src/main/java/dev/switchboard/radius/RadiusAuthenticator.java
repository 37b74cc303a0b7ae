package dev.switchboard.radius;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aaa4j.radius.client.IntervalRetransmissionStrategy;
import org.aaa4j.radius.client.RadiusClient;
import org.aaa4j.radius.client.clients.UdpRadiusClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Authenticator} that asks a RADIUS server (FreeRADIUS, NPS, an OTP appliance) with a PAP Access-Request
 * over UDP (RFC 2865): User-Name, User-Password (hidden with the shared secret) and NAS-Identifier. Access-Accept is
 * accepted as the name the user typed, Access-Reject is {@code rejected("invalid credentials")}, Access-Challenge is
 * rejected (a login page cannot answer it); no answer within {@code timeout} (after {@code attempts} sends), an
 * answer that fails the Response Authenticator check (a wrong shared secret) or a network error is
 * {@link AuthenticationResult#unavailable}. An empty password is rejected without a request.
 *
 * <p>Requests run on this authenticator's own bounded threads ({@code maxConcurrent}, each with its own UDP socket
 * per request), never on the caller's; every stage completes within {@code timeout}, never exceptionally. Not
 * supported: CHAP, EAP, RADIUS over TLS, Message-Authenticator (RFC 3579) on requests; run RADIUS on a network the
 * gateway and the server trust.
 *
 * <pre>{@code
 * RadiusAuthenticator radius = RadiusAuthenticator.builder("radius.corp.example.com:1812")
 *         .secret(sharedSecret).timeout(Duration.ofSeconds(3)).build();
 * radius.authenticate(Credentials.of("alice", "123456", "192.0.2.7")).thenAccept(r -> ...);
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} completes the authentications still open with {@code unavailable}. The server's
 * name is resolved once, at {@link Builder#build()}. Never logs a password or the secret.
 */
public final class RadiusAuthenticator implements Authenticator, AutoCloseable {

    /** The default limit of one authentication, all attempts included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The default number of sends of one Access-Request (the first and the retransmissions). */
    public static final int DEFAULT_ATTEMPTS = 2;
    /** The default number of requests in flight at once (and threads). */
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    /** The default number of authentications that may wait for a thread. */
    public static final int DEFAULT_MAX_PENDING = 256;
    /** User-Password holds at most 128 bytes (RFC 2865 section 5.2). */
    static final int MAX_PASSWORD_BYTES = 128;
    /** User-Name holds at most 253 bytes. */
    static final int MAX_USER_BYTES = 253;

    static final AuthenticationResult INVALID_CREDENTIALS = AuthenticationResult.rejected("invalid credentials");
    private static final AuthenticationResult EMPTY_PASSWORD = AuthenticationResult.rejected("empty password");
    private static final AuthenticationResult CLOSED = AuthenticationResult.unavailable("radius authenticator closed");
    private static final Logger log = LoggerFactory.getLogger(RadiusAuthenticator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String server;
    private final String nasIdentifier;
    private final long timeoutNanos;
    private final AuthenticationResult timeout;
    private final AuthenticationResult busy;
    private final RadiusClient client;
    private final ThreadPoolExecutor executor;
    private final Set<CompletableFuture<AuthenticationResult>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RadiusAuthenticator(Builder b, InetSocketAddress address) {
        this.server = b.address;
        this.nasIdentifier = b.nasIdentifier;
        this.timeoutNanos = b.timeout.toNanos();
        this.timeout = AuthenticationResult.unavailable("radius timeout after " + b.timeout.toMillis() + " ms");
        this.busy = AuthenticationResult.unavailable("radius busy: " + b.maxPending
                + " authentications already waiting");
        this.client = UdpRadiusClient.newBuilder().address(address)
                .secret(b.secret.getBytes(StandardCharsets.UTF_8))
                .retransmissionStrategy(new IntervalRetransmissionStrategy(b.attempts, b.timeout.dividedBy(b.attempts)))
                .build();
        String prefix = "switchboard-radius-" + INSTANCES.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(b.maxConcurrent, b.maxConcurrent, 30, TimeUnit.SECONDS,
                b.maxPending == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(b.maxPending), task -> {
                    Thread thread = new Thread(task, prefix + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        log.info("RADIUS authentication against {} as NAS {}, timeout {} ms in {} attempts", server, nasIdentifier,
                b.timeout.toMillis(), b.attempts);
    }

    /** A builder for the server at {@code address}: {@code host}, {@code host:port} or {@code [v6]:port}. */
    public static Builder builder(String address) {
        return new Builder(Objects.requireNonNull(address, "address"));
    }

    /**
     * Sends an Access-Request for {@code credentials}. Returns at once; the stage completes on one of this
     * authenticator's threads (or the JDK's timer thread at the timeout), never exceptionally.
     */
    @Override
    public CompletionStage<AuthenticationResult> authenticate(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        if (closed) {
            return CompletableFuture.completedStage(CLOSED);
        }
        if (credentials.password().isEmpty()) {
            return CompletableFuture.completedStage(EMPTY_PASSWORD);
        }
        if (credentials.password().getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return CompletableFuture.completedStage(AuthenticationResult.rejected("password too long for radius"));
        }
        if (credentials.user().getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
            return CompletableFuture.completedStage(AuthenticationResult.rejected("invalid user name"));
        }
        CompletableFuture<AuthenticationResult> verdict = new CompletableFuture<>();
        verdict.completeOnTimeout(timeout, timeoutNanos, TimeUnit.NANOSECONDS);
        inFlight.add(verdict);
        verdict.whenComplete((result, failure) -> inFlight.remove(verdict));
        try {
            executor.execute(new RadiusExchange(client, server, nasIdentifier, timeout, credentials, verdict));
        } catch (RejectedExecutionException e) {
            verdict.complete(closed ? CLOSED : busy);
        }
        if (closed) {
            verdict.complete(CLOSED);
        }
        return verdict.minimalCompletionStage();
    }

    /** Stops the threads; open authentications become unavailable. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        for (CompletableFuture<AuthenticationResult> verdict : inFlight) {
            verdict.complete(CLOSED);
        }
        client.close();
    }

    @Override
    public String toString() {
        return "RadiusAuthenticator[" + server + ", NAS " + nasIdentifier + "]";
    }

    /** Builds a {@link RadiusAuthenticator}. Setters reject null at once; {@link #build()} checks the rest. */
    public static final class Builder {
        private final String address;
        private String secret = "";
        private String nasIdentifier = "switchboard";
        private Duration timeout = DEFAULT_TIMEOUT;
        private int attempts = DEFAULT_ATTEMPTS;
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private int maxPending = DEFAULT_MAX_PENDING;

        private Builder(String address) {
            this.address = address;
        }

        /** The shared secret (required; never logged, never in {@code toString}). */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The NAS-Identifier sent with each request (default {@code switchboard}). */
        public Builder nasIdentifier(String nasIdentifier) {
            this.nasIdentifier = Objects.requireNonNull(nasIdentifier, "nasIdentifier");
            return this;
        }

        /** The limit of one authentication, all attempts included (default {@link #DEFAULT_TIMEOUT}). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often one request is sent, evenly spread over the timeout (default {@value #DEFAULT_ATTEMPTS}). */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder maxConcurrent(int requests) {
            this.maxConcurrent = requests;
            return this;
        }

        public Builder maxPending(int pending) {
            this.maxPending = pending;
            return this;
        }

        /**
         * Validates, resolves the server's name, and builds.
         *
         * @throws ConfigurationException listing every violation, each naming the setting and its value
         */
        public RadiusAuthenticator build() {
            List<Violation> problems = new ArrayList<>();
            InetSocketAddress resolved = resolve(problems);
            if (secret.isEmpty()) {
                problems.add(new Violation("secret", "missing (expected: the shared secret of this client)"));
            }
            if (nasIdentifier.isEmpty() || nasIdentifier.getBytes(StandardCharsets.UTF_8).length > 253) {
                problems.add(new Violation("nasIdentifier", "'" + nasIdentifier + "' (expected: 1..253 bytes)"));
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add(new Violation("timeout", timeout + " (expected: > 0 and <= PT10M)"));
            }
            range(problems, "attempts", attempts, 1, 10);
            range(problems, "maxConcurrent", maxConcurrent, 1, 1024);
            range(problems, "maxPending", maxPending, 0, 100_000);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new RadiusAuthenticator(this, resolved);
        }

        private InetSocketAddress resolve(List<Violation> problems) {
            try {
                URI uri = new URI("radius://" + address);
                int port = uri.getPort() == -1 ? 1812 : uri.getPort();
                boolean onlyHostAndPort = uri.getHost() != null && uri.getRawUserInfo() == null
                        && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null;
                if (!onlyHostAndPort || port < 1 || port > 65535) {
                    problems.add(new Violation("address", "'" + address + "' (expected: host or host:port, "
                            + "e.g. radius.example.test:1812)"));
                    return null;
                }
                InetSocketAddress resolved = new InetSocketAddress(uri.getHost().replaceAll("^\\[|\\]$", ""), port);
                if (resolved.isUnresolved()) {
                    problems.add(new Violation("address", "'" + address + "' (host name does not resolve)"));
                    return null;
                }
                return resolved;
            } catch (URISyntaxException e) {
                problems.add(new Violation("address", "'" + address + "' (expected: host or host:port)"));
                return null;
            }
        }

        private static void range(List<Violation> problems, String field, int value, int min, int max) {
            if (value < min || value > max) {
                problems.add(new Violation(field, value + " (expected: " + min + ".." + max + ")"));
            }
        }
    }
}
