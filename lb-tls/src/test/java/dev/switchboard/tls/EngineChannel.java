package dev.switchboard.tls;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives an {@link SSLEngine} over a blocking loopback socket (5 s read timeout), with direct buffers as Conscrypt
 * wants them. Test code: just enough for a handshake and a message each way.
 */
final class EngineChannel implements Closeable {

    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    private final byte[] io;
    /** Every byte received from the wire, in order (for parsing hellos "as they went over the wire"). */
    private final java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();

    EngineChannel(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(packet * 2);
        this.netOut = ByteBuffer.allocateDirect(packet * 2);
        this.appIn = ByteBuffer.allocateDirect(engine.getSession().getApplicationBufferSize() * 2);
        this.io = new byte[packet];
    }

    SSLEngine engine() {
        return engine;
    }

    byte[] received() {
        return wire.toByteArray();
    }

    void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP:
                    hs = wrap(EMPTY).getHandshakeStatus();
                    break;
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    hs = engine.getHandshakeStatus();
                    break;
                default:
                    hs = unwrap().getHandshakeStatus();
                    break;
            }
        }
    }

    void send(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.allocateDirect(data.length);
        src.put(data).flip();
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** The next application data, or null when the peer closed. */
    byte[] receive() throws IOException {
        while (true) {
            SSLEngineResult r = unwrap();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return null;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY);
            }
            if (appIn.position() > 0) {
                appIn.flip();
                byte[] data = new byte[appIn.remaining()];
                appIn.get(data);
                appIn.clear();
                return data;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrap(EMPTY);
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer may be gone already
        } finally {
            socket.close();
        }
    }

    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        netOut.flip();
        while (netOut.hasRemaining()) {
            int n = Math.min(io.length, netOut.remaining());
            netOut.get(io, 0, n);
            out.write(io, 0, n);
        }
        out.flush();
        return r;
    }

    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW
                    && !(r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0
                    && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP)) {
                return r;
            }
            int n = in.read(io);
            if (n < 0) {
                throw new EOFException("peer closed the connection");
            }
            wire.write(io, 0, n);
            netIn.put(io, 0, n);
        }
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EngineChannel" + Arrays.toString(new Object[] {socket, engine});
    }

    static SSLException unwrapCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return (SSLException) c;
            }
        }
        return null;
    }
}
