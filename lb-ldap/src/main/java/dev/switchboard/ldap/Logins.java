package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Credentials;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link Login}s on a bounded executor of {@code maxConnections} daemon threads with a queue of
 * {@code maxPending}: the caller's thread only enqueues. Each stage is completed by its login, or at the deadline by
 * the JDK's delayer thread with {@code unavailable}, whichever comes first; a full queue or a closed authenticator
 * answers {@code unavailable} at once. {@link #close()} completes every stage still open with {@code unavailable}
 * (a login blocked on the directory cannot be interrupted; its thread ends at its own timeout). Thread-safe.
 */
final class Logins {

    /** Longer user names are refused without a round trip. */
    static final int MAX_USER_LENGTH = 256;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final LdapSettings settings;
    private final Directory directory;
    private final List<GroupMembership> group;
    private final ThreadPoolExecutor executor;
    private final AuthenticationResult timeout;
    private final AuthenticationResult busy;
    /** The stages not completed yet: {@link #close()} completes them. */
    private final Set<CompletableFuture<AuthenticationResult>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Logins(LdapSettings settings) {
        this.settings = settings;
        this.group = group(settings.requireGroup);
        this.timeout = Verdicts.timeout(settings);
        this.busy = AuthenticationResult.unavailable("ldap busy: " + settings.maxPending
                + " authentications already waiting");
        BlockingQueue<Runnable> queue = settings.maxPending == 0
                ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.maxPending);
        this.executor = new ThreadPoolExecutor(settings.maxConnections, settings.maxConnections, 30,
                TimeUnit.SECONDS, queue, threads());
        executor.allowCoreThreadTimeOut(true);
        this.directory = new Directory(settings);
    }

    private static List<GroupMembership> group(String requireGroup) {
        if (requireGroup.isEmpty()) {
            return List.of();
        }
        try {
            return List.of(new GroupMembership(requireGroup));
        } catch (LDAPException e) {
            throw new IllegalStateException("requireGroup was validated: " + e.getMessage(), e);
        }
    }

    private static ThreadFactory threads() {
        String prefix = "switchboard-ldap-" + INSTANCES.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    CompletionStage<AuthenticationResult> submit(Credentials credentials) {
        if (closed) {
            return CompletableFuture.completedStage(Verdicts.CLOSED);
        }
        if (credentials.password().isEmpty()) {
            return CompletableFuture.completedStage(Verdicts.EMPTY_PASSWORD);
        }
        if (credentials.user().length() > MAX_USER_LENGTH) {
            return CompletableFuture.completedStage(Verdicts.INVALID_USER_NAME);
        }
        long timeoutNanos = settings.timeout.toNanos();
        Deadline deadline = new Deadline(System.nanoTime() + timeoutNanos);
        CompletableFuture<AuthenticationResult> verdict = new CompletableFuture<>();
        verdict.completeOnTimeout(timeout, timeoutNanos, TimeUnit.NANOSECONDS);
        inFlight.add(verdict);
        verdict.whenComplete((result, failure) -> inFlight.remove(verdict));
        if (closed) {
            verdict.complete(Verdicts.CLOSED);   // close() ran since the check above and may have missed it
        }
        try {
            executor.execute(new Login(settings, directory, group, credentials, verdict, deadline));
        } catch (RejectedExecutionException e) {
            verdict.complete(closed ? Verdicts.CLOSED : busy);
        }
        return verdict.minimalCompletionStage();
    }

    void close() {
        closed = true;
        executor.shutdownNow();
        for (CompletableFuture<AuthenticationResult> verdict : inFlight) {
            verdict.complete(Verdicts.CLOSED);
        }
        directory.close();
    }
}
