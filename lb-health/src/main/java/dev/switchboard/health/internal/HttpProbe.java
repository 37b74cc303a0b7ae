package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.health.HealthCheck;
import dev.switchboard.health.HttpMethod;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * HTTP probes on OkHttp with {@code enqueue}: the call timeout is the check's timeout, so a hanging server costs
 * that timeout and nothing longer. Every probe opens a fresh connection (no pooling), so a server that stopped
 * accepting is noticed; redirects are not followed (a 3xx is a status to judge). Up to 64 KiB of the body are read
 * for the body pattern. Thread-safe.
 */
public final class HttpProbe implements Probe {

    static final long MAX_BODY_BYTES = 64 * 1024;

    private final OkHttpClient client;

    public HttpProbe() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(1024);
        dispatcher.setMaxRequestsPerHost(256);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    @Override
    public void probe(Address address, HealthCheck check, Consumer<ProbeResult> callback) {
        long start = System.nanoTime();
        Call call;
        try {
            call = client.newCall(request(address, check));
        } catch (RuntimeException e) {
            callback.accept(ProbeResult.failed("bad request: " + e.getMessage(), 0));
            return;
        }
        call.timeout().timeout(check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                callback.accept(ProbeResult.failed(reason(e), System.nanoTime() - start));
            }

            @Override
            public void onResponse(Call c, Response response) {
                ProbeResult result;
                try (response) {
                    result = judge(check, response, start);
                } catch (IOException e) {
                    result = ProbeResult.failed(reason(e), System.nanoTime() - start);
                } catch (RuntimeException e) {
                    result = ProbeResult.failed("bad response: " + e, System.nanoTime() - start);
                }
                callback.accept(result);
            }
        });
    }

    private static ProbeResult judge(HealthCheck check, Response response, long start) throws IOException {
        int status = response.code();
        if (!check.expectsStatus(status)) {
            return ProbeResult.failed("status " + status + " (expected: " + check.expectedStatuses() + ")",
                    System.nanoTime() - start);
        }
        if (!check.bodyPattern().isEmpty()) {
            ResponseBody body = response.body();
            BufferedSource source = body.source();
            source.request(MAX_BODY_BYTES);
            long n = Math.min(source.getBuffer().size(), MAX_BODY_BYTES);
            String text = source.getBuffer().readString(n, StandardCharsets.UTF_8);
            if (!check.bodyMatches(text)) {
                return ProbeResult.failed("body mismatch (status " + status + ")", System.nanoTime() - start);
            }
        }
        return ProbeResult.ok("status " + status, System.nanoTime() - start);
    }

    static Request request(Address address, HealthCheck check) {
        HttpUrl url = HttpUrl.get("http://" + address + check.path());
        Request.Builder b = new Request.Builder().url(url);
        for (Map.Entry<String, String> h : check.headers().entrySet()) {
            b.addHeader(h.getKey(), h.getValue());
        }
        if (!check.hostHeader().isEmpty()) {
            b.header("Host", check.hostHeader());
        }
        if (!check.username().isEmpty()) {
            b.header("Authorization", Credentials.basic(check.username(), check.password(), StandardCharsets.UTF_8));
        }
        if (check.method() == HttpMethod.POST) {
            MediaType type = check.contentType().isEmpty() ? null : MediaType.parse(check.contentType());
            b.post(RequestBody.create(check.requestBody().getBytes(StandardCharsets.UTF_8), type));
        } else if (check.method() == HttpMethod.HEAD) {
            b.head();
        }
        return b.build();
    }

    static String reason(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return "io error: " + e.getMessage();
    }

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        ExecutorService es = client.dispatcher().executorService();
        es.shutdown();
        client.connectionPool().evictAll();
    }
}
