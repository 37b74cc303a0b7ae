package dev.switchboard.tls.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.TlsProvider;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.conscrypt.AllocatedBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadBuffers}: one buffer per thread, lent to one caller at a time; and Conscrypt engines of this library
 * (which use it) carrying data of every size both ways through heap buffers, as Netty's JDK path gives them.
 */
class ThreadBuffersTest {

    @Test
    void theThreadsBuffer_isLentAgainAfterRelease_andNeverTwiceAtOnce() {
        AllocatedBuffer first = ThreadBuffers.INSTANCE.allocateDirectBuffer(700);
        assertThat(first.nioBuffer().isDirect()).isTrue();
        assertThat(first.nioBuffer().position()).isZero();
        assertThat(first.nioBuffer().remaining()).isEqualTo(700);
        AllocatedBuffer second = ThreadBuffers.INSTANCE.allocateDirectBuffer(100);
        assertThat(second.nioBuffer()).isNotSameAs(first.nioBuffer());
        assertThat(second.nioBuffer().remaining()).isGreaterThanOrEqualTo(100);
        second.release();
        first.nioBuffer().put(new byte[300]);
        first.release();

        AllocatedBuffer again = ThreadBuffers.INSTANCE.allocateDirectBuffer(16_709);
        assertThat(again.nioBuffer()).isSameAs(first.nioBuffer());
        assertThat(again.nioBuffer().position()).isZero();
        assertThat(again.nioBuffer().remaining()).isEqualTo(16_709);
        again.release();

        AllocatedBuffer large = ThreadBuffers.INSTANCE.allocateDirectBuffer(ThreadBuffers.CAPACITY + 1);
        assertThat(large.nioBuffer()).isNotSameAs(first.nioBuffer());
        assertThat(large.nioBuffer().remaining()).isEqualTo(ThreadBuffers.CAPACITY + 1);
        large.release();
    }

    @Test
    void conscryptEngines_withHeapBuffers_carryEverySizeBothWays() throws SSLException {
        TestPki.Issued ca = TestPki.ca("ThreadBuffers CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "localhost");
        SSLEngine server = TlsContexts.server(ServerTlsConfig.builder(SniCertificates.builder(leaf.tls()).build())
                .provider(TlsProvider.CONSCRYPT).build()).newEngine();
        SSLEngine client = TlsContexts.upstream(UpstreamTlsConfig.builder().trustCertificates(
                List.of(ca.certificate())).provider(TlsProvider.CONSCRYPT).build()).newEngine("localhost", 443);
        Pump pump = new Pump(client, server);
        pump.handshake();

        SplittableRandom random = new SplittableRandom(20);
        for (int size : new int[] {1, 612, 16_384, 16_385, 50_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertThat(pump.send(client, server, data)).isEqualTo(data);
            assertThat(pump.send(server, client, data)).isEqualTo(data);
        }
    }

    /** Two engines joined in memory through heap buffers. */
    private static final class Pump {
        private final SSLEngine client;
        private final SSLEngine server;
        private final ByteBuffer toServer = ByteBuffer.allocate(1 << 18);
        private final ByteBuffer toClient = ByteBuffer.allocate(1 << 18);

        Pump(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
        }

        void handshake() throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            ByteBuffer sink = ByteBuffer.allocate(1 << 16);
            for (int i = 0; i < 50 && !(done(client) && done(server)); i++) {
                step(client, toServer, toClient, sink);
                step(server, toClient, toServer, sink);
            }
            assertThat(done(client) && done(server)).isTrue();
        }

        byte[] send(SSLEngine from, SSLEngine to, byte[] data) throws SSLException {
            ByteBuffer wire = from == client ? toServer : toClient;
            ByteBuffer src = ByteBuffer.wrap(data);
            while (src.hasRemaining()) {
                check(from.wrap(src, wire));
            }
            wire.flip();
            ByteBuffer received = ByteBuffer.allocate(data.length + (1 << 15));
            for (int i = 0; i < 100 && wire.hasRemaining(); i++) {
                check(to.unwrap(wire, received));
            }
            wire.compact();
            received.flip();
            byte[] out = new byte[received.remaining()];
            received.get(out);
            return out;
        }

        private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
                throws SSLException {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                check(engine.wrap(ByteBuffer.allocate(0), out));
            } else if (hs == HandshakeStatus.NEED_UNWRAP) {
                in.flip();
                check(engine.unwrap(in, sink));
                in.compact();
            }
        }

        private static boolean done(SSLEngine engine) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
        }

        private static void check(SSLEngineResult result) {
            assertThat(result.getStatus()).isIn(SSLEngineResult.Status.OK, SSLEngineResult.Status.BUFFER_UNDERFLOW);
        }
    }
}
