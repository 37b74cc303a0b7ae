package dev.switchboard.benchmarks.tls;

import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.ServerTlsContext;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.TlsProvider;
import dev.switchboard.tls.TlsSessions;
import dev.switchboard.tls.UpstreamTls;
import dev.switchboard.tls.UpstreamTlsConfig;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TLS 1.2 session-ID resumptions per second (the case session-ID persistence lives on), server on Conscrypt or
 * SunJSSE, client always Conscrypt, in memory with direct buffers, EC P-256. Every handshake resumes the session
 * made in setup; setup checks that the session ID stays the same. Server-side time is counted as in
 * {@link TlsHandshakeBenchmark}. Run command: see {@link TlsHandshakeBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class TlsResumptionBenchmark {

    @Param({"CONSCRYPT", "JDK"})
    TlsProvider provider;

    private ServerTlsContext server;
    private UpstreamTls client;
    private java.nio.ByteBuffer[] buffers;

    @Setup
    public void setUp() throws SSLException {
        server = TlsContexts.server(ServerTlsConfig.builder(KeyKind.EC_P256.certificate(0x5EED)).provider(provider)
                .protocols("TLSv1.2").build());
        client = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(TlsProvider.CONSCRYPT)
                .protocols("TLSv1.2").build());
        buffers = EnginePair.buffers(server.newEngine(), true);
        String first = resume(null);
        String second = resume(null);
        if (first.isEmpty() || !first.equals(second)) {
            throw new IllegalStateException("no session-ID resumption: " + first + " then " + second);
        }
    }

    private String resume(TlsHandshakeBenchmark.ServerTime time) throws SSLException {
        EnginePair pair = new EnginePair(client.newEngine(KeyKind.SERVER_NAME, 443), server.newEngine(), buffers);
        pair.handshake();
        String id = TlsSessions.sessionId(pair.server());
        if (time != null) {
            time.serverNanos += pair.serverNanos;
            time.handshakes++;
        }
        pair.close();
        return id;
    }

    @Benchmark
    public Object resumedHandshake(TlsHandshakeBenchmark.ServerTime time) throws SSLException {
        return resume(time);
    }
}
