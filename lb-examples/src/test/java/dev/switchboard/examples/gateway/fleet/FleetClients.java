package dev.switchboard.examples.gateway.fleet;

import dev.switchboard.netty.testing.TcpBackend;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The clients of the fleet tests, on real sockets: HTTP/1.1 from a chosen loopback source address (so that each is
 * a key of its own for source-ip persistence), and TLS 1.2 through a TCP virtual service. A JSSE client offers a
 * cached session only to the port it got it from (its cache is keyed by server name and port), as through a virtual
 * IP that moves from one member of an HA pair to the other: so the members listen on the same port of different
 * loopback addresses.
 */
final class FleetClients {

    /** The TLS server name the clients ask for. */
    static final String TLS_HOST = "imap.example.test";
    private static final Pattern SID = Pattern.compile("(?im)^Set-Cookie:\\s*SID=([^;\\r\\n]+)");
    private static final Pattern SERVED_BY = Pattern.compile("(?im)^X-Served-By:\\s*(\\S+)");

    private FleetClients() {
    }

    /** What a real server answered: its name, and the {@code SID} cookie it set (if it did). */
    record Reply(int status, String servedBy, Optional<String> sid) {
    }

    /**
     * {@code GET /} to 127.0.0.1:{@code port} from {@code sourceIp} (a loopback address: 127.0.0.2, ...), sending
     * {@code Cookie: SID=<sid>} when given; the connection closes after the answer.
     */
    static Reply get(String sourceIp, int port, Optional<String> sid) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(sourceIp, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n"
                    + sid.map(v -> "Cookie: SID=" + v + "\r\n").orElse("") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int status = response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
            Matcher served = SERVED_BY.matcher(response);
            Matcher cookie = SID.matcher(response);
            return new Reply(status, served.find() ? served.group(1) : "status " + status,
                    cookie.find() ? Optional.of(cookie.group(1)) : Optional.empty());
        }
    }

    /**
     * One TLS 1.2 connection to {@code ip}:{@code port} with {@code client} (its session cache offers the session
     * of its previous connection to that port): the real server's name and the session ID it reports, after checking
     * that this is the session the client ended up with.
     */
    static TlsReply tls(SSLContext client, String ip, int port) throws IOException {
        try (Socket plain = new Socket(ip, port);
             SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, TLS_HOST, port, true)) {
            s.setSoTimeout(10_000);
            String[] parts = TcpBackend.tlsGreeting(s, TLS_HOST);
            return new TlsReply(parts[0], parts[1]);
        }
    }

    /** A TLS real server's name and the session ID of the connection. */
    record TlsReply(String servedBy, String session) {
    }
}
