package dev.switchboard.benchmarks.tls;

import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.ServerTlsContext;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.TlsProvider;
import dev.switchboard.tls.UpstreamTls;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.conscrypt.Conscrypt;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Full TLS handshakes per second, the server on Conscrypt or on the JDK's SunJSSE ({@code provider}), in memory
 * (two {@code SSLEngine}s back to back, direct buffers allocated once and reused), one thread. The server engine comes from
 * {@link ServerTlsContext#newEngine()} (what a host gets: SNI key manager, native keys on Conscrypt, groups X25519,
 * P-256, P-384); the client is always a Conscrypt {@link UpstreamTls} in insecure mode, the cheapest client there
 * is, so that the pair's rate is dominated by the server. A fresh client context per handshake would be needed to
 * defeat resumption; instead each client engine is created with a new peer port, so the client never offers a
 * cached session.
 *
 * <p>Besides ops/s, two counters per iteration ({@code serverNanos}, {@code handshakes}): the time spent inside the
 * server engine; {@code serverNanos / handshakes} is the server-side cost of one handshake, which is the number a
 * gateway cares about.
 *
 * <p>Run (with {@link TlsResumptionBenchmark} and {@link TlsBulkBenchmark}: 14 configurations, about 4 minutes;
 * figures and the exact command of the last run in docs/benchmarks.md, section TLS):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar 'benchmarks.tls' -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff tls.json
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class TlsHandshakeBenchmark {

    @Param({"CONSCRYPT", "JDK"})
    TlsProvider provider;

    @Param({"EC_P256", "RSA_2048"})
    KeyKind key;

    @Param({"TLSv1.3", "TLSv1.2"})
    String protocol;

    private ServerTlsContext server;
    private UpstreamTls client;
    private int port;
    private java.nio.ByteBuffer[] buffers;

    /** Server-side time, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class ServerTime {
        public long serverNanos;
        public long handshakes;

        @Setup(Level.Iteration)
        public void reset() {
            serverNanos = 0;
            handshakes = 0;
        }
    }

    @Setup
    public void setUp() throws SSLException {
        server = TlsContexts.server(ServerTlsConfig.builder(key.certificate(0x5EED)).provider(provider)
                .protocols(protocol).build());
        client = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(TlsProvider.CONSCRYPT)
                .protocols(protocol).build());
        buffers = EnginePair.buffers(server.newEngine(), true);
        EnginePair check = newPair();
        check.handshake();
        String group = Conscrypt.getGroupName(check.client());
        if (!check.server().getSession().getProtocol().equals(protocol) || !"X25519".equals(group)) {
            throw new IllegalStateException("negotiated " + check.server().getSession().getProtocol() + " with "
                    + group + "; expected " + protocol + " with X25519");
        }
        check.close();
    }

    private EnginePair newPair() {
        port = port == 65535 ? 1 : port + 1;   // a new peer for every handshake: the client never resumes
        return new EnginePair(client.newEngine(KeyKind.SERVER_NAME, port), server.newEngine(), buffers);
    }

    @Benchmark
    public Object fullHandshake(ServerTime time) throws SSLException {
        EnginePair pair = newPair();
        pair.handshake();
        time.serverNanos += pair.serverNanos;
        time.handshakes++;
        pair.close();
        return pair;
    }
}
