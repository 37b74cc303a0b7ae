package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.engine.auth.LoginResult;
import dev.switchboard.engine.auth.PreAuthentication;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A request the engine answered with {@link Decision.Authenticate} (Basic credentials): the credentials are checked
 * asynchronously by the listener's {@link PreAuthentication} while the request's body (if any) waits unread in the
 * socket (auto-read is off and nothing asks for it), then, back on the connection's event loop: accepted goes to
 * {@code dispatchAuthenticated} and on (with a new SSO cookie set on the response when SSO is configured); rejected
 * gets the decision's challenge; locked 429 with {@code Retry-After}; unavailable 503 with {@code Retry-After}.
 * Without a pre-authentication on the listener the request is refused 501, never let through. Stateless; the
 * completion runs on the event loop.
 */
final class BasicCheck {

    /** Seconds a client is asked to wait when the directory cannot answer. */
    static final int UNAVAILABLE_RETRY_SECONDS = 5;

    private BasicCheck() {
    }

    static void start(ProxyRequest request, Decision.Authenticate decision) {
        PreAuthentication preAuth = request.context().preAuthentication();
        if (preAuth == null) { // not wired: refuse rather than let the request through
            request.answer(501, "Not Implemented", List.of(), request.keepAliveAfterAnswer());
            return;
        }
        CompletionStage<LoginResult> check;
        try {
            check = preAuth.check(decision);
        } catch (RuntimeException e) {
            request.answer(503, "Service Unavailable", retryAfter(UNAVAILABLE_RETRY_SECONDS),
                    request.keepAliveAfterAnswer());
            return;
        }
        if (!request.hasBody() && !check.toCompletableFuture().isDone()) {
            request.connection().watchForClose(); // a client that gives up is noticed while the check runs
        }
        EventLoop loop = request.connection().eventLoop();
        check.whenComplete((result, failure) -> {
            LoginResult r = result != null ? result : new LoginResult.Unavailable("check failed");
            if (loop.inEventLoop()) {
                checked(request, decision, preAuth, r);
            } else {
                loop.execute(() -> checked(request, decision, preAuth, r));
            }
        });
    }

    private static void checked(ProxyRequest request, Decision.Authenticate decision, PreAuthentication preAuth,
            LoginResult result) {
        if (request.cancelled()) {
            return;
        }
        if (result instanceof LoginResult.Accepted a) {
            String setCookie = a.cookieValue().isEmpty() || preAuth.ssoCookies().isEmpty() ? ""
                    : preAuth.ssoCookies().get().setCookie(a.cookieValue(), "https".equals(request.context().scheme()));
            request.handle(request.context().engine().dispatchAuthenticated(decision.virtualService(),
                    request.view(), a.user(), setCookie));
        } else if (result instanceof LoginResult.Rejected) {
            request.handle(decision.challenge());
        } else if (result instanceof LoginResult.Locked l) {
            request.answer(429, "Too Many Requests", retryAfter(l.retryAfterSeconds()),
                    request.keepAliveAfterAnswer());
        } else {
            request.answer(503, "Service Unavailable", retryAfter(UNAVAILABLE_RETRY_SECONDS),
                    request.keepAliveAfterAnswer());
        }
    }

    static List<HeaderEdit> retryAfter(long seconds) {
        return List.of(HeaderEdit.set("Retry-After", Long.toString(seconds)));
    }
}
