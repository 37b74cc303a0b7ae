package dev.switchboard.benchmarks.tls;

import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.ServerTlsContext;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.TlsProvider;
import dev.switchboard.tls.UpstreamTls;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk record encryption: one op seals 16 KiB of application data on the server engine and opens it on the client
 * engine, both on {@code provider}, TLS 1.3 with TLS_AES_128_GCM_SHA256, one thread; MB/s = ops/s x 16,384 / 10^6.
 * Conscrypt puts 16 KiB in one record; the JDK in two (16,367 + 17 bytes: it keeps room for the TLS 1.3 content
 * type within the 2^14 limit), which is part of its cost.
 * {@code buffers}: direct (as Netty's pooled direct buffers hand them to the engine) or heap. The plaintext is
 * random bytes from a fixed seed. Run command: see {@link TlsHandshakeBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class TlsBulkBenchmark {

    static final int RECORD = 16 * 1024;

    @Param({"CONSCRYPT", "JDK"})
    TlsProvider provider;

    @Param({"DIRECT", "HEAP"})
    String buffers;

    private EnginePair pair;
    private ByteBuffer plaintext;

    @Setup
    public void setUp() throws SSLException {
        ServerTlsContext server = TlsContexts.server(ServerTlsConfig.builder(KeyKind.EC_P256.certificate(0x5EED))
                .provider(provider).protocols("TLSv1.3").cipherSuites("TLS_AES_128_GCM_SHA256").build());
        UpstreamTls client = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(provider)
                .protocols("TLSv1.3").build());
        boolean direct = buffers.equals("DIRECT");
        pair = new EnginePair(client.newEngine(KeyKind.SERVER_NAME, 443), server.newEngine(),
                EnginePair.buffers(server.newEngine(), direct));
        pair.handshake();
        String suite = pair.server().getSession().getCipherSuite();
        if (!suite.equals("TLS_AES_128_GCM_SHA256")) {
            throw new IllegalStateException("negotiated " + suite);
        }
        byte[] bytes = new byte[RECORD];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        plaintext = EnginePair.allocate(RECORD, direct);
        plaintext.put(bytes).flip();
        int opened = pair.sealAndOpen(plaintext);
        byte[] back = new byte[RECORD];
        pair.clientPlaintext().get(back);
        if (opened != RECORD || !java.util.Arrays.equals(back, bytes)) {
            throw new IllegalStateException("a record did not survive seal and open: " + opened + " bytes");
        }
    }

    @Benchmark
    public int sealAndOpen16KiB() throws SSLException {
        plaintext.rewind();
        return pair.sealAndOpen(plaintext);
    }

    @TearDown
    public void tearDown() {
        pair.close();
    }
}
