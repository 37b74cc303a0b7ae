package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.time.Duration;
import okhttp3.Request;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** The gRPC probe's request and its reading of answers, on bytes (the live calls: GrpcHealthCheckerTest). */
class GrpcProbeTest {

    private static byte[] framed(int... bytes) {
        byte[] out = new byte[5 + bytes.length];
        out[4] = (byte) bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            out[5 + i] = (byte) bytes[i];
        }
        return out;
    }

    @Test
    void requestMessage_emptyService_isAnEmptyMessage_aNamedOneIsField1() {
        assertThat(GrpcProbe.requestMessage("")).containsExactly(0, 0, 0, 0, 0);
        assertThat(GrpcProbe.requestMessage("a.B")).containsExactly(0, 0, 0, 0, 5, 0x0A, 3, 'a', '.', 'B');
        byte[] longName = GrpcProbe.requestMessage("s".repeat(200)); // a two-byte length varint
        assertThat(longName).hasSize(5 + 1 + 2 + 200);
        assertThat(longName[4] & 0xFF).isEqualTo(203);
        assertThat(longName[6] & 0xFF).isEqualTo(200 & 0x7F | 0x80);
        assertThat(longName[7]).isEqualTo((byte) 1);
    }

    @Test
    void request_isAPostToTheHealthMethod_withTeTrailersAndTheDeadline() throws Exception {
        HealthCheck check = HealthCheck.grpc().grpcService("x.Y").timeout(Duration.ofMillis(1500))
                .hostHeader("api.test").header("x-a", "1").build();
        Request r = GrpcProbe.request(Address.of("127.0.0.1", 9090), check);
        assertThat(r.url().toString()).isEqualTo("http://127.0.0.1:9090/grpc.health.v1.Health/Check");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("te")).isEqualTo("trailers");
        assertThat(r.header("grpc-timeout")).isEqualTo("1500m");
        assertThat(r.header("Host")).isEqualTo("api.test");
        assertThat(r.header("x-a")).isEqualTo("1");
        assertThat(r.body().contentType().toString()).isEqualTo("application/grpc");
        Buffer body = new Buffer();
        r.body().writeTo(body);
        assertThat(body.readByteArray()).containsExactly(GrpcProbe.requestMessage("x.Y"));
        assertThat(GrpcProbe.request(Address.of("127.0.0.1", 9443),
                HealthCheck.grpcs().insecure().build()).url().scheme()).isEqualTo("https");
    }

    @Test
    void judge_servingStatuses() {
        assertThat(GrpcProbe.judge("0", null, framed(0x08, 1), 5)).satisfies(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.reason()).isEqualTo("SERVING");
        });
        assertThat(GrpcProbe.judge("0", null, framed(0x08, 2), 5).reason()).isEqualTo("NOT_SERVING");
        assertThat(GrpcProbe.judge("0", null, framed(0x08, 3), 5).reason()).isEqualTo("SERVICE_UNKNOWN");
        assertThat(GrpcProbe.judge("0", null, framed(), 5).reason()).isEqualTo("UNKNOWN"); // proto3 default
        assertThat(GrpcProbe.judge("0", null, framed(0x08, 9), 5).reason()).isEqualTo("serving status 9");
        assertThat(GrpcProbe.judge("0", null, framed(0x08, 2), 5).success()).isFalse();
    }

    @Test
    void judge_skipsUnknownFieldsOfEveryWireType() {
        byte[] answer = framed(0x10, 0x96, 0x01, // field 2 varint 150
                0x19, 1, 2, 3, 4, 5, 6, 7, 8, // field 3 fixed64
                0x22, 2, 'h', 'i', // field 4 bytes
                0x2D, 1, 2, 3, 4, // field 5 fixed32
                0x08, 1);
        assertThat(GrpcProbe.judge("0", null, answer, 5).success()).isTrue();
    }

    @Test
    void judge_badAnswers_failWithAReason() {
        assertThat(GrpcProbe.judge(null, null, framed(0x08, 1), 5).reason()).startsWith("no grpc-status");
        assertThat(GrpcProbe.judge("14", "connect failed", new byte[0], 5).reason())
                .isEqualTo("grpc-status 14 (UNAVAILABLE): connect failed");
        assertThat(GrpcProbe.judge("99", null, new byte[0], 5).reason()).isEqualTo("grpc-status 99");
        assertThat(GrpcProbe.judge("0", null, new byte[0], 5).reason()).isEqualTo("no answer message");
        byte[] compressed = framed(0x08, 1);
        compressed[0] = 1;
        assertThat(GrpcProbe.judge("0", null, compressed, 5).reason()).startsWith("compressed answer");
        byte[] shortPrefix = framed(0x08, 1);
        shortPrefix[4] = 7;
        assertThat(GrpcProbe.judge("0", null, shortPrefix, 5).reason())
                .isEqualTo("answer of 2 bytes, its prefix says 7");
        assertThat(GrpcProbe.judge("0", null, framed(0x08), 5).reason()).isEqualTo("unreadable answer message");
        assertThat(GrpcProbe.judge("0", null, framed(0x22, 9, 'x'), 5).reason())
                .isEqualTo("unreadable answer message");
        assertThat(GrpcProbe.judge("0", null, framed(0x0F), 5).reason()).isEqualTo("unreadable answer message");
        assertThat(GrpcProbe.judge("0", null, framed(0x19, 1, 2), 5).reason())
                .isEqualTo("unreadable answer message");
        assertThat(GrpcProbe.judge("0", "m".repeat(300), new byte[0], 5).success()).isFalse();
        assertThat(GrpcProbe.judge("3", "m".repeat(300), new byte[0], 5).reason()).endsWith("...")
                .hasSizeLessThan(160);
    }
}
