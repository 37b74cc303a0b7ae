package dev.switchboard.netty.testing;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC server (grpc-java, its shaded Netty transport) on 127.0.0.1 port 0 with one hand-built service of UTF-8
 * string messages (no protoc): {@code test.Echo/Unary} answers {@code name:request}, {@code Count} streams
 * {@code n} answers, {@code Join} joins a client stream, {@code Chat} echoes each message, {@code Slow} answers after
 * the milliseconds it is given (and counts calls cancelled before), {@code Fail} answers INVALID_ARGUMENT with a
 * message. Plain (h2c) or TLS. Records every call's metadata.
 */
public final class GrpcBackend implements AutoCloseable {

    /** UTF-8 strings as messages. */
    public static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> COUNT = method("Count",
            MethodDescriptor.MethodType.SERVER_STREAMING);
    public static final MethodDescriptor<String, String> JOIN = method("Join",
            MethodDescriptor.MethodType.CLIENT_STREAMING);
    public static final MethodDescriptor<String, String> CHAT = method("Chat",
            MethodDescriptor.MethodType.BIDI_STREAMING);
    public static final MethodDescriptor<String, String> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> FLOOD = method("Flood",
            MethodDescriptor.MethodType.SERVER_STREAMING);

    public final String name;
    /** Calls that reached the service. */
    public final AtomicInteger calls = new AtomicInteger();
    /** Slow calls cancelled before their answer (a client deadline, a reset from the gateway). */
    public final AtomicInteger cancelled = new AtomicInteger();
    /** Slow calls answered. */
    public final AtomicInteger slowAnswered = new AtomicInteger();
    /** Messages of 1 KiB that {@code Flood} calls have sent so far (each only while its call was ready). */
    public final AtomicInteger floodSent = new AtomicInteger();
    /** The metadata of every call, in order. */
    public final BlockingQueue<Metadata> heads = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Server server;

    private GrpcBackend(String name, Path certificate, Path key, int maxStreams) {
        this.name = name;
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        if (certificate != null) {
            try {
                b = (NettyServerBuilder) NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(certificate.toFile(), key.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (maxStreams > 0) {
            b.maxConcurrentCallsPerConnection(maxStreams); // its SETTINGS_MAX_CONCURRENT_STREAMS
        }
        try {
            server = b.addService(ServerInterceptors.intercept(service(), new Recorder())).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain (h2c) server. */
    public static GrpcBackend start(String name) {
        return new GrpcBackend(name, null, null, 0);
    }

    /** A plain server that allows {@code maxStreams} concurrent streams per connection. */
    public static GrpcBackend start(String name, int maxStreams) {
        return new GrpcBackend(name, null, null, maxStreams);
    }

    /** A TLS server with the certificate and PKCS#8 key in these PEM files. */
    public static GrpcBackend startTls(String name, Path certificate, Path key) {
        return new GrpcBackend(name, certificate, key, 0);
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** A graceful shutdown: GOAWAY to every connection, calls in progress may finish. */
    public void shutdown() {
        server.shutdown();
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    private ServerServiceDefinition service() {
        return ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> answer(out, name + ":" + req)))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    for (int i = 0; i < Integer.parseInt(req); i++) {
                        out.onNext(name + ":" + i);
                    }
                    out.onCompleted();
                }))
                .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(out -> collect(out, false)))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> collect(out, true)))
                .addMethod(SLOW, ServerCalls.asyncUnaryCall(this::slow))
                .addMethod(FLOOD, ServerCalls.asyncServerStreamingCall(this::flood))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((req, out) -> out.onError(
                        Status.INVALID_ARGUMENT.withDescription("bad thing: " + req).asRuntimeException())))
                .build();
    }

    private static void answer(StreamObserver<String> out, String value) {
        out.onNext(value);
        out.onCompleted();
    }

    private StreamObserver<String> collect(StreamObserver<String> out, boolean echo) {
        StringBuilder joined = new StringBuilder(name).append(':');
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                if (echo) {
                    out.onNext(name + ":" + value);
                } else {
                    joined.append(value);
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (!echo) {
                    out.onNext(joined.toString());
                }
                out.onCompleted();
            }
        };
    }

    private void slow(String millis, StreamObserver<String> out) {
        ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) out;
        call.setOnCancelHandler(cancelled::incrementAndGet);
        timer.schedule(() -> {
            if (!call.isCancelled()) {
                slowAnswered.incrementAndGet();
                answer(out, name + ":slept " + millis);
            }
        }, Long.parseLong(millis), TimeUnit.MILLISECONDS);
    }

    /** Sends {@code count} messages of 1 KiB as fast as flow control lets it: only while the call is ready. */
    private void flood(String count, StreamObserver<String> out) {
        ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) out;
        int total = Integer.parseInt(count);
        String kib = "x".repeat(1024);
        int[] sent = {0};
        call.setOnReadyHandler(() -> { // serialized per call
            while (call.isReady() && sent[0] < total) {
                call.onNext(kib);
                sent[0]++;
                floodSent.incrementAndGet();
            }
            if (sent[0] == total) {
                sent[0]++;
                call.onCompleted();
            }
        });
    }

    /** Records each call's metadata and counts it. */
    private final class Recorder implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                ServerCallHandler<Q, A> next) {
            calls.incrementAndGet();
            heads.add(headers);
            return next.startCall(call, headers);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        timer.shutdownNow();
    }
}
