package dev.switchboard.radius;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP socket on 127.0.0.1, port 0, that counts the datagrams it receives and never answers: a hung server. */
final class SilentUdpServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final AtomicInteger received = new AtomicInteger();

    SilentUdpServer() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Thread reader = new Thread(this::read, "silent-udp");
        reader.setDaemon(true);
        reader.start();
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int received() {
        return received.get();
    }

    private void read() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                received.incrementAndGet();
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
