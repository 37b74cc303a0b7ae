package dev.switchboard.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Captures the access log as the gateway really writes it: slf4j-simple (the binding of lb-examples) prints every
 * line to whatever {@code System.err} is at that moment, so standard error is swapped for a tee that passes
 * everything on and keeps the lines of the logger {@code switchboard.access} (their message part). Restores
 * standard error on close. One at a time.
 */
public final class AccessLogCapture implements AutoCloseable {

    private static final String MARK = " switchboard.access - ";

    private final PrintStream original = System.err;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    public AccessLogCapture() {
        System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
    }

    /** The next access-log message that contains {@code text}, waiting up to 5 s. */
    public String next(String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no access-log line with '" + text + "' within 5 s");
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private final class Tee extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                int at = text.indexOf(MARK);
                if (at >= 0) {
                    lines.add(text.substring(at + MARK.length()).stripTrailing());
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
