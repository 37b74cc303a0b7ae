package dev.switchboard.benchmarks.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client and a server {@link SSLEngine} wired back to back through in-memory buffers (direct or heap), the way a
 * benchmark wants them: no sockets, no threads. Counts the nanoseconds spent inside the server engine (wrap,
 * unwrap, delegated tasks), since a gateway controls only its side. Not thread-safe; one per benchmark thread.
 */
final class EnginePair {

    private final SSLEngine client;
    private final SSLEngine server;
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;
    private final ByteBuffer empty;
    long serverNanos;

    /**
     * @param client a client-mode engine
     * @param server a server-mode engine
     * @param buffers four buffers (to server, to client, client app, server app), sized by {@link #buffers}; reused
     *        from pair to pair so that no handshake pays for allocating direct memory
     */
    EnginePair(SSLEngine client, SSLEngine server, ByteBuffer[] buffers) {
        this.client = client;
        this.server = server;
        this.toServer = buffers[0].clear();
        this.toClient = buffers[1].clear();
        this.clientApp = buffers[2].clear();
        this.serverApp = buffers[3].clear();
        this.empty = buffers[4].clear();
    }

    /** Buffers for pairs of engines like {@code sample} (which it closes): network and application buffers. */
    static ByteBuffer[] buffers(SSLEngine sample, boolean direct) {
        int packet = sample.getSession().getPacketBufferSize();
        int app = sample.getSession().getApplicationBufferSize();
        sample.closeOutbound();
        return new ByteBuffer[] {allocate(packet * 4, direct), allocate(packet * 4, direct),
            allocate(app * 2, direct), allocate(app * 2, direct), allocate(0, direct)};
    }

    static ByteBuffer allocate(int size, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    SSLEngine client() {
        return client;
    }

    SSLEngine server() {
        return server;
    }

    /** Runs the handshake to its end on both sides, including the server's post-handshake messages. */
    void handshake() throws SSLException {
        client.beginHandshake();
        long t = System.nanoTime();
        server.beginHandshake();
        serverNanos += System.nanoTime() - t;
        for (int rounds = 0; rounds < 100; rounds++) {
            boolean clientMoved = step(client, toClient, toServer, clientApp, false);
            boolean serverMoved = step(server, toServer, toClient, serverApp, true);
            if (!clientMoved && !serverMoved) {
                if (done(client) && done(server)) {
                    return;
                }
                throw new IllegalStateException("handshake stuck: client " + client.getHandshakeStatus()
                        + ", server " + server.getHandshakeStatus());
            }
        }
        throw new IllegalStateException("handshake did not finish in 100 rounds");
    }

    /**
     * Seals all of {@code plaintext} on the server (one record, or two where a provider fragments 16 KiB, as the
     * JDK does under TLS 1.3: 16,367 + 17 bytes) and opens it on the client; returns the bytes opened.
     */
    int sealAndOpen(ByteBuffer plaintext) throws SSLException {
        toClient.clear();
        while (plaintext.hasRemaining()) {
            SSLEngineResult sealed = server.wrap(plaintext, toClient);
            if (sealed.getStatus() != SSLEngineResult.Status.OK) {
                throw new IllegalStateException("seal " + sealed);
            }
        }
        toClient.flip();
        clientApp.clear();
        int opened = 0;
        while (toClient.hasRemaining()) {
            SSLEngineResult r = client.unwrap(toClient, clientApp);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new IllegalStateException("open " + r);
            }
            opened += r.bytesProduced();
        }
        return opened;
    }

    /** What the client opened last, flipped for reading. */
    ByteBuffer clientPlaintext() {
        return clientApp.duplicate().flip();
    }

    /**
     * Closes both engines the way a connection ends: close_notify out, then inbound closed. Conscrypt frees its
     * native SSL object (and the two file descriptors of its pipe) only when both directions are done; engines
     * dropped without this keep them until a GC finalizes them.
     */
    void close() {
        for (SSLEngine e : new SSLEngine[] {client, server}) {
            e.closeOutbound();
            try {
                for (int i = 0; i < 4 && !e.isOutboundDone(); i++) {
                    toServer.clear();
                    e.wrap(empty, toServer);
                }
                e.closeInbound();
            } catch (SSLException ignored) {
                // inbound closed without the peer's close_notify: expected here
            }
        }
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    /** One side does everything it can without new input; returns whether it produced or consumed anything. */
    private boolean step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app, boolean timed) throws SSLException {
        boolean moved = false;
        long start = timed ? System.nanoTime() : 0;
        try {
            while (true) {
                HandshakeStatus hs = e.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_WRAP) {
                    SSLEngineResult r = e.wrap(empty, out);
                    moved |= r.bytesProduced() > 0;
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        throw new IllegalStateException("wrap: " + r);
                    }
                } else if (hs == HandshakeStatus.NEED_TASK) {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) {
                        task.run();
                    }
                    moved = true;
                } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NOT_HANDSHAKING && in.position() > 0) {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    app.clear();
                    if (r.bytesConsumed() == 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                            && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                        return moved;   // needs bytes from the other side
                    }
                    moved = true;
                } else {
                    return moved;
                }
            }
        } finally {
            if (timed) {
                serverNanos += System.nanoTime() - start;
            }
        }
    }
}
