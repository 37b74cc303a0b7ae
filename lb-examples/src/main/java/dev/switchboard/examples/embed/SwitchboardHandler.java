package dev.switchboard.examples.embed;

import dev.switchboard.api.Decision;
import dev.switchboard.api.Outcome;
import dev.switchboard.engine.DispatchEngine;
import io.undertow.client.UndertowClient;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.Objects;

/**
 * An Undertow {@link HttpHandler} that balances every request of one virtual service: it asks the engine, answers
 * redirects and the engine's own answers (400, 403, 404, 503) itself, forwards to the chosen real server with
 * {@link UpstreamExchange}, and waits for a queued decision without holding a thread: the engine completes the
 * future on the thread that released a slot (or on its timer at the queue timeout), and the handler hops back to the
 * exchange's I/O thread. When the client goes away first, Undertow ends the exchange and the future is cancelled (the
 * engine then releases a forward that arrives late). Runs on Undertow's I/O threads; thread-safe, as Undertow needs.
 *
 * <pre>{@code
 * Undertow.builder().addHttpListener(8080, "0.0.0.0").setHandler(new SwitchboardHandler(engine, "web"))
 *         .build().start();
 * }</pre>
 */
public final class SwitchboardHandler implements HttpHandler {

    private final DispatchEngine engine;
    private final String virtualService;
    private final UndertowClient client = UndertowClient.getInstance();

    /** Balances the requests it gets over the virtual service named {@code virtualService} of {@code engine}. */
    public SwitchboardHandler(DispatchEngine engine, String virtualService) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.virtualService = Objects.requireNonNull(virtualService, "virtualService");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Decision decision = engine.dispatch(virtualService, new UndertowRequestView(exchange));
        if (decision instanceof Decision.Respond || decision instanceof Decision.Redirect) {
            decide(exchange, decision);
        } else { // keep the exchange open after this method returns; carry on right after it, on this thread
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> decide(exchange, decision));
        }
    }

    private void decide(HttpServerExchange exchange, Decision decision) {
        if (decision instanceof Decision.Forward f) {
            if (exchange.isComplete()) { // the client left while it was queued
                f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
            } else {
                UpstreamExchange.start(exchange, f, client);
            }
        } else if (decision instanceof Decision.Queued q) {
            exchange.addExchangeCompleteListener((ended, next) -> {
                q.future().cancel(false); // nothing if it has completed; else the engine drops the waiter
                next.proceed();
            });
            q.future().thenAccept(later -> {
                try {
                    exchange.getIoThread().execute(() -> decide(exchange, later));
                } catch (RuntimeException stopping) { // the server is stopping: give a late slot back at once
                    if (later instanceof Decision.Forward f) {
                        f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
                    }
                }
            });
        } else if (decision instanceof Decision.Redirect r) {
            exchange.setStatusCode(r.status());
            exchange.getResponseHeaders().put(Headers.LOCATION, r.location());
            exchange.endExchange();
        } else if (decision instanceof Decision.Respond r) {
            exchange.setStatusCode(r.status());
            UpstreamExchange.apply(exchange.getResponseHeaders(), r.headers()); // e.g. Retry-After on a 503
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send(r.status() + " " + r.reason() + "\n");
        }
    }
}
