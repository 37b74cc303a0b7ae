package dev.switchboard.examples.embed;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ResponseView;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.UndertowClient;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One forward to a real server with Undertow's own non-blocking client, on the exchange's I/O thread from start to
 * end: connect, send the head (hop-by-hop headers out, X-Forwarded-For and the decision's host and edits in), stream
 * the body both ways, report the response head to the lease before the client's head is written, and release the
 * lease exactly once: when the exchange ends (the response sent, or the client gone: Undertow ends the exchange when
 * the connection closes) or at the first upstream failure. One upstream connection per request, closed at the end;
 * a host that wants keep-alive to real servers pools them per I/O thread. Not thread-safe: the I/O thread only.
 */
final class UpstreamExchange implements ClientCallback<ClientConnection>, ExchangeCompletionListener,
        ChannelExceptionHandler<Channel> {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate");

    private final HttpServerExchange exchange;
    private final Decision.Forward lease;
    private final long start = System.nanoTime();
    private final AtomicBoolean released = new AtomicBoolean();
    private ClientConnection upstream;
    private Channel clientIn;
    private Channel clientOut;
    private int status;
    private boolean responseSent;

    private UpstreamExchange(HttpServerExchange exchange, Decision.Forward lease) {
        this.exchange = exchange;
        this.lease = lease;
    }

    /** Forwards {@code exchange} as {@code lease} says; call it on the exchange's I/O thread, dispatched. */
    static void start(HttpServerExchange exchange, Decision.Forward lease, UndertowClient client) {
        UpstreamExchange u = new UpstreamExchange(exchange, lease);
        exchange.addExchangeCompleteListener(u);
        client.connect(u, URI.create("http://" + lease.target().address()), exchange.getIoThread(),
                exchange.getConnection().getByteBufferPool(), OptionMap.EMPTY);
    }

    @Override
    public void completed(ClientConnection connection) {
        upstream = connection;
        if (released.get()) { // the client left while we connected
            IoUtils.safeClose(connection);
            return;
        }
        connection.sendRequest(request(), new ClientCallback<>() {
            @Override
            public void completed(ClientExchange sent) {
                sent.setResponseListener(new ClientCallback<>() {
                    @Override
                    public void completed(ClientExchange answered) {
                        respond(answered);
                    }

                    @Override
                    public void failed(IOException e) {
                        fail(Outcome.Failure.RESET);
                    }
                });
                if (exchange.isRequestComplete()) {
                    finish(sent.getRequestChannel());
                } else {
                    StreamSourceChannel in = exchange.getRequestChannel();
                    clientIn = in;
                    Transfer.initiateTransfer(in, sent.getRequestChannel(),
                            ChannelListeners.closingChannelListener(), UpstreamExchange::finish,
                            UpstreamExchange.this, UpstreamExchange.this, exchange.getConnection().getByteBufferPool());
                }
            }

            @Override
            public void failed(IOException e) {
                fail(Outcome.Failure.RESET);
            }
        });
    }

    @Override
    public void failed(IOException e) { // could not connect
        fail(Outcome.Failure.CONNECT);
    }

    private ClientRequest request() {
        ClientRequest request = new ClientRequest().setMethod(exchange.getRequestMethod())
                .setPath(lease.query().isEmpty() ? lease.path() : lease.path() + "?" + lease.query());
        HeaderMap h = request.getRequestHeaders();
        copyEndToEnd(exchange.getRequestHeaders(), h);
        // this example trusts no proxy in front of it: the peer's address replaces whatever the client claimed
        h.put(Headers.X_FORWARDED_FOR, exchange.getSourceAddress().getAddress().getHostAddress());
        h.put(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
        h.put(Headers.HOST, lease.host().isEmpty() ? lease.target().address().toString() : lease.host());
        apply(h, lease.requestEdits());
        h.remove(Headers.TRANSFER_ENCODING); // the framing is the body's as Undertow read it, whatever edits did
        if (!exchange.isRequestComplete() && !h.contains(Headers.CONTENT_LENGTH)) {
            h.put(Headers.TRANSFER_ENCODING, Headers.CHUNKED.toString());
        }
        return request;
    }

    private void respond(ClientExchange answered) {
        ClientResponse response = answered.getResponse();
        status = response.getResponseCode();
        exchange.setStatusCode(status);
        copyEndToEnd(response.getResponseHeaders(), exchange.getResponseHeaders());
        apply(exchange.getResponseHeaders(), lease.onResponse(new Head(response))); // before the head goes out
        StreamSinkChannel out = exchange.getResponseChannel();
        clientOut = out;
        Transfer.initiateTransfer(answered.getResponseChannel(), out,
                ChannelListeners.closingChannelListener(), sink -> {
                    responseSent = true;
                    finish(sink); // shutting the response down ends the exchange: exchangeEvent releases
                }, this, this, exchange.getConnection().getByteBufferPool());
    }

    /** Ends a request or response body: shut writes down and flush, now or when the channel can take it. */
    private static void finish(StreamSinkChannel sink) {
        try {
            sink.shutdownWrites();
            if (!sink.flush()) {
                ChannelListener<StreamSinkChannel> done = ch -> ch.getWriteSetter().set(null);
                sink.getWriteSetter().set(ChannelListeners.flushingChannelListener(done,
                        ChannelListeners.closingChannelExceptionHandler()));
                sink.resumeWrites();
            }
        } catch (IOException e) {
            IoUtils.safeClose(sink);
        }
    }

    @Override
    public void handleException(Channel channel, IOException e) { // a body transfer broke, on either side
        fail(channel == clientIn || channel == clientOut ? Outcome.Failure.CANCELLED : Outcome.Failure.RESET);
    }

    /** The real server failed: release as a failure, answer 502 if nothing was sent yet, else cut the client. */
    private void fail(Outcome.Failure failure) {
        boolean first = release(new Outcome(status, failure, System.nanoTime() - start, 0, 0));
        IoUtils.safeClose(upstream);
        if (!first) {
            return; // the exchange has ended already
        }
        if (exchange.isResponseStarted() || clientOut != null) {
            IoUtils.safeClose(exchange.getConnection());
        } else {
            exchange.getResponseHeaders().clear();
            exchange.setStatusCode(502);
            exchange.getResponseSender().send("502 the real server did not answer\n");
        }
    }

    @Override
    public void exchangeEvent(HttpServerExchange ended, NextListener next) {
        // the normal end, or the client gone before the response was through (not the real server's fault)
        release(new Outcome(status, responseSent ? Outcome.Failure.NONE : Outcome.Failure.CANCELLED,
                System.nanoTime() - start, 0, 0));
        IoUtils.safeClose(upstream);
        next.proceed();
    }

    private boolean release(Outcome outcome) {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        lease.release(outcome);
        return true;
    }

    /** Copies every header but the hop-by-hop ones and those the {@code Connection} header names. */
    private static void copyEndToEnd(HeaderMap from, HeaderMap to) {
        List<String> named = new ArrayList<>();
        HeaderValues connection = from.get(Headers.CONNECTION);
        if (connection != null) {
            connection.forEach(line -> {
                for (String token : line.split(",")) {
                    named.add(token.trim().toLowerCase(Locale.ROOT));
                }
            });
        }
        for (HeaderValues values : from) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && (!named.contains(name) || name.equals("content-length"))) {
                to.putAll(values.getHeaderName(), values);
            }
        }
    }

    static void apply(HeaderMap headers, List<HeaderEdit> edits) {
        for (HeaderEdit e : edits) {
            switch (e.op()) {
                case SET -> headers.put(HttpString.tryFromString(e.name()), e.value());
                case ADD -> headers.add(HttpString.tryFromString(e.name()), e.value());
                case REMOVE -> headers.remove(e.name());
            }
        }
    }

    /** The real server's response head as the lease reads it. */
    private record Head(ClientResponse response) implements ResponseView {
        @Override
        public int status() {
            return response.getResponseCode();
        }

        @Override
        public String header(String name) {
            return response.getResponseHeaders().getFirst(name);
        }

        @Override
        public List<String> headers(String name) {
            HeaderValues values = response.getResponseHeaders().get(name);
            return values == null ? List.of() : List.copyOf(values);
        }
    }
}
