package dev.switchboard.radius.testing;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinyradius.packet.AccessRequest;
import org.tinyradius.packet.RadiusPacket;
import org.tinyradius.util.RadiusException;
import org.tinyradius.util.RadiusServer;

/**
 * A real RADIUS server from another implementation (TinyRadius) on 127.0.0.1, UDP port 0, with a few users. It
 * counts the Access-Requests it handles and can hold them (a slow server) until {@link #release()}. Shared with
 * lb-examples' gateway tests through lb-radius' test-jar.
 */
public final class TestRadiusServer extends RadiusServer implements AutoCloseable {

    public static final String SECRET = "shared-s3cret";
    public static final Map<String, String> USERS = Map.of("alice", "alice-secret", "bob", "bob-secret",
            "jürgen", "pässword");

    /** TinyRadius logs every packet at INFO through commons-logging (JUL here): quiet it. */
    private static final java.util.logging.Logger TINYRADIUS_LOG = quiet();

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger maxInProgress = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final DatagramSocket socket;
    private final int port;

    public TestRadiusServer() throws SocketException {
        try {
            this.socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        this.executor = java.util.concurrent.Executors.newCachedThreadPool();   // requests in parallel
        this.port = socket.getLocalPort();
        // TinyRadius refuses port 0: give it the port (by which it tells authentication requests apart; setting it
        // drops its socket) and then the socket bound here (its private field, which it would otherwise fill lazily)
        setAuthPort(port);
        try {
            java.lang.reflect.Field field = RadiusServer.class.getDeclaredField("authSocket");
            field.setAccessible(true);
            field.set(this, socket);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TinyRadius changed: " + e, e);
        }
        start(true, false);
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.tinyradius");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public int requests() {
        return requests.get();
    }

    public int inProgress() {
        return inProgress.get();
    }

    public int maxInProgress() {
        return maxInProgress.get();
    }

    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    @Override
    public String getSharedSecret(InetSocketAddress client) {
        return SECRET;
    }

    @Override
    public String getUserPassword(String user) {
        return USERS.get(user);
    }

    @Override
    public RadiusPacket accessRequestReceived(AccessRequest request, InetSocketAddress client)
            throws RadiusException {
        requests.incrementAndGet();
        maxInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try {
            gate.await();
            return super.accessRequestReceived(request, client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RadiusException("interrupted");
        } finally {
            inProgress.decrementAndGet();
        }
    }

    @Override
    public void close() {
        release();
        stop();
        executor.shutdownNow();
    }
}
