package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.netty.settings.Timeouts;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The idle timer of each HTTP/2 stream ({@code timeouts.clientIdle}): a stream with no frame either way for that
 * long is reset with RST_STREAM(CANCEL) and its lease released, while the connection and its busy streams go on.
 */
class Http2IdleStreamTest {

    private static final Timeouts QUICK_CLIENT_IDLE = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1));

    @Test
    void silentStream_isResetWithCancel_whileABusyStreamOnTheSameConnectionGoesOn() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(Http2CleartextTest.service(s1),
                        b -> b.http2Cleartext(true).timeouts(QUICK_CLIENT_IDLE));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.post("/echo"), false); // its body never comes
            h2.headers(3, H2Wire.post("/echo"), false);
            for (int i = 0; i < 10; i++) { // 2.5 s of a piece every 250 ms on stream 3: never idle for 1 s
                h2.data(3, ("piece" + i + ";").getBytes(StandardCharsets.UTF_8), false);
                Thread.sleep(250);
            }
            H2Wire.Reset reset = h2.await(H2Wire.Reset.class, r -> r.stream() == 1, 5);
            assertThat(reset.code()).isEqualTo(Http2Error.CANCEL.code());

            h2.data(3, "end".getBytes(StandardCharsets.UTF_8), true);
            H2Wire.Response busy = h2.response(3, 5); // fails on a reset of stream 3
            assertThat(busy.status()).isEqualTo("200");
            assertThat(busy.body.toString(StandardCharsets.UTF_8)).startsWith("piece0;piece1;").endsWith("end");
            assertThat(h2.frames).noneMatch(f -> f instanceof H2Wire.Reset r && r.stream() == 3);

            h2.headers(5, H2Wire.get("/after"), true);
            assertThat(h2.response(5, 5).status()).isEqualTo("200");
            assertThat(h2.isOpen()).isTrue();
            g.assertNoLeaseHeld(); // stream 1's lease came back with its reset
        }
    }
}
