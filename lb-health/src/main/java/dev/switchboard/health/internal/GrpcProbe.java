package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * gRPC health checks: one unary call of {@code grpc.health.v1.Health/Check} per probe, over HTTP/2 on a new
 * connection (OkHttp, the clients of {@link HttpProbe}: h2c with prior knowledge, or TLS with ALPN). Up when the call
 * ends with {@code grpc-status: 0} and its one message says {@code SERVING}; every other answer is a failure whose
 * reason says what came ({@code NOT_SERVING}, {@code SERVICE_UNKNOWN}, {@code grpc-status 12 (UNIMPLEMENTED)}, an
 * HTTP status, HTTP/1.1 instead of HTTP/2, a timeout). The call carries {@code grpc-timeout} set to the check's
 * timeout, so the server gives up when the probe does. The two protobuf messages are written and read here by hand
 * (one string field out, one enum field back, unknown fields skipped): no protobuf library on the class path.
 * Thread-safe; closing it closes nothing (the clients are {@link HttpProbe}'s).
 */
public final class GrpcProbe implements Probe {

    /** The health service's method, as a gRPC path. */
    static final String PATH = "/grpc.health.v1.Health/Check";
    /** The largest answer read: the message is a few bytes; anything near this is not a health answer. */
    static final int MAX_ANSWER = 4_096;
    private static final MediaType GRPC = MediaType.get("application/grpc");
    /** Status codes 0..16 by name (io.grpc.Status.Code), for the reasons. */
    private static final String[] CODES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
        "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
    /** HealthCheckResponse.ServingStatus by number. */
    private static final String[] SERVING = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private final HttpProbe http;

    /** @param http whose clients (dispatcher, PROXY protocol sockets, TLS trust) the calls run on */
    public GrpcProbe(HttpProbe http) {
        this.http = http;
    }

    @Override
    public void probe(Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback) {
        http.call(address, check, proxyProtocol, () -> request(address, check),
                (response, start) -> judge(response, System.nanoTime() - start), callback);
    }

    static Request request(Address address, HealthCheck check) {
        boolean tls = check.type() == HealthCheck.Type.GRPCS;
        HttpUrl url = new HttpUrl.Builder().scheme(tls ? "https" : "http").host(HttpProbe.urlHost(address, check))
                .port(address.port()).encodedPath(PATH).build();
        Request.Builder b = new Request.Builder().url(url)
                .header("te", "trailers")
                .header("grpc-timeout", Math.max(1, check.timeout().toMillis()) + "m")
                .post(RequestBody.create(requestMessage(check.grpcService()), GRPC));
        check.headers().forEach(b::addHeader);
        if (!check.hostHeader().isEmpty()) {
            b.header("Host", check.hostHeader()); // OkHttp sends it as :authority
        }
        return b.build();
    }

    /** A length-prefixed {@code HealthCheckRequest}: field 1 ({@code service}), a string, when not empty. */
    static byte[] requestMessage(String service) {
        byte[] name = service.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int fieldLength = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
        byte[] out = new byte[5 + fieldLength];
        out[1] = (byte) (fieldLength >>> 24);
        out[2] = (byte) (fieldLength >>> 16);
        out[3] = (byte) (fieldLength >>> 8);
        out[4] = (byte) fieldLength;
        if (fieldLength > 0) {
            int i = 5;
            out[i++] = 0x0A; // field 1, length-delimited
            for (int n = name.length; ; n >>>= 7) {
                if (n < 0x80) {
                    out[i++] = (byte) n;
                    break;
                }
                out[i++] = (byte) (n & 0x7F | 0x80);
            }
            System.arraycopy(name, 0, out, i, name.length);
        }
        return out;
    }

    private static int varintSize(int n) {
        return n < 1 << 7 ? 1 : n < 1 << 14 ? 2 : n < 1 << 21 ? 3 : n < 1 << 28 ? 4 : 5;
    }

    static ProbeOutcome judge(Response response, long latencyNanos) throws IOException {
        int status = response.code();
        if (response.protocol() != Protocol.HTTP_2 && response.protocol() != Protocol.H2_PRIOR_KNOWLEDGE) {
            return ProbeOutcome.failed("not HTTP/2: " + response.protocol() + " status " + status
                    + " (expected: a gRPC server speaking h2)", latencyNanos).withStatus(status);
        }
        if (status != 200) {
            return ProbeOutcome.failed("status " + status + " (expected: 200 from a gRPC server)", latencyNanos)
                    .withStatus(status);
        }
        byte[] answer = read(response.body().source());
        Headers trailers = response.header("grpc-status") != null ? response.headers() : response.trailers();
        return judge(trailers.get("grpc-status"), trailers.get("grpc-message"), answer, latencyNanos)
                .withStatus(status);
    }

    /**
     * Judges a finished call: its {@code grpc-status} (null when none came), {@code grpc-message}, and the bytes of
     * its body (length-prefixed messages).
     */
    static ProbeOutcome judge(String grpcStatus, String grpcMessage, byte[] answer, long latencyNanos) {
        if (grpcStatus == null) {
            return ProbeOutcome.failed("no grpc-status (expected: a gRPC server)", latencyNanos);
        }
        if (!grpcStatus.equals("0")) {
            return ProbeOutcome.failed("grpc-status " + grpcStatus + codeName(grpcStatus)
                    + (grpcMessage == null ? "" : ": " + shorten(grpcMessage)), latencyNanos);
        }
        if (answer.length < 5 || answer[0] != 0) {
            return ProbeOutcome.failed(answer.length < 5 ? "no answer message" : "compressed answer (not asked for)",
                    latencyNanos);
        }
        long length = ((answer[1] & 0xFFL) << 24) | ((answer[2] & 0xFF) << 16) | ((answer[3] & 0xFF) << 8)
                | (answer[4] & 0xFF);
        if (length != answer.length - 5) {
            return ProbeOutcome.failed("answer of " + (answer.length - 5) + " bytes, its prefix says " + length,
                    latencyNanos);
        }
        int serving = servingStatus(answer, 5, answer.length);
        if (serving < 0) {
            return ProbeOutcome.failed("unreadable answer message", latencyNanos);
        }
        String name = serving < SERVING.length ? SERVING[serving] : "serving status " + serving;
        return serving == 1 ? ProbeOutcome.ok(name, latencyNanos) : ProbeOutcome.failed(name, latencyNanos);
    }

    /**
     * The {@code status} of a {@code HealthCheckResponse} in {@code b[from..to)}: field 1, an enum (0 when absent, the
     * proto3 default); other fields skipped by their wire type; -1 when the bytes are not a message.
     */
    static int servingStatus(byte[] b, int from, int to) {
        int[] at = {from};
        long status = 0;
        while (at[0] < to) {
            long key = varint(b, at, to);
            long value = key < 0 ? -1 : switch ((int) (key & 7)) {
                case 0 -> varint(b, at, to);
                case 1 -> skip(at, 8);
                case 2 -> {
                    long n = varint(b, at, to);
                    yield n < 0 || n > to - at[0] ? -1 : skip(at, (int) n);
                }
                case 5 -> skip(at, 4);
                default -> -1;
            };
            if (value < 0 || at[0] > to) {
                return -1;
            }
            if (key == 0x08) { // field 1, varint
                status = value;
            }
        }
        return status > Integer.MAX_VALUE ? -1 : (int) status;
    }

    private static long skip(int[] at, int n) {
        at[0] += n;
        return 0;
    }

    /** The varint at {@code at[0]}, moving past it; -1 when it runs past {@code to} or over 64 bits. */
    private static long varint(byte[] b, int[] at, int to) {
        long v = 0;
        for (int shift = 0; shift < 64 && at[0] < to; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        return -1;
    }

    private static byte[] read(BufferedSource source) throws IOException {
        source.request(MAX_ANSWER + 1L);
        long n = source.getBuffer().size();
        if (n > MAX_ANSWER) {
            throw new IOException("answer over " + MAX_ANSWER + " bytes");
        }
        byte[] bytes = source.readByteArray(n);
        source.exhausted(); // to the end of the stream, so that the trailers are in
        return bytes;
    }

    private static String codeName(String status) {
        try {
            int code = Integer.parseInt(status);
            return code >= 0 && code < CODES.length ? " (" + CODES[code] + ")" : "";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    @Override
    public void close() {
        // the calls run on HttpProbe's clients, closed by it
    }
}
