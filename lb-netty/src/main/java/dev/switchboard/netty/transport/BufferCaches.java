package dev.switchboard.netty.transport;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty 4.2's adaptive buffer allocator (the default one, which reads every socket here) keeps a buffer cache per
 * I/O thread, except in its "low memory" mode, which it enters when the Java heap is at most 512 MB, although the
 * buffers it hands out are direct memory. In that mode every buffer comes from magazines and a recycler shared by
 * all I/O threads: a lock and a contended queue per socket read and per release. In the gateway's profile under
 * load (plain HTTP/1.1 keep-alive, {@code -Xmx256m}) that was about 12 % of the request path's Java samples, gone
 * with the caches kept (docs/benchmarks.md, session 13).
 *
 * <p>The system property {@value #LOW_MEMORY_PROPERTY} decides it, read once when Netty's allocator class
 * initializes. The reference gateway sets it to {@code false} at start unless it is given ({@link #keepUnlessSet});
 * a host that embeds the gateway in its own process decides for itself, and a transport logs once at INFO when the
 * caches are off. Stateless apart from that once.
 */
public final class BufferCaches {

    /** Netty's property: {@code false} keeps per-thread caches whatever the heap size. */
    public static final String LOW_MEMORY_PROPERTY = "io.netty.allocator.lowMemory";
    /** At or below this maximum heap, Netty's allocator goes without per-thread caches unless told otherwise. */
    static final long LOW_MEMORY_HEAP = 512L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BufferCaches.class);
    private static final AtomicBoolean NOTED = new AtomicBoolean();

    private BufferCaches() {
    }

    /**
     * Sets {@value #LOW_MEMORY_PROPERTY} to {@code false} unless it is set; only effective before Netty's buffer
     * allocator is first used in this JVM (call it first thing in {@code main}).
     */
    public static void keepUnlessSet() {
        if (System.getProperty(LOW_MEMORY_PROPERTY) == null) {
            System.setProperty(LOW_MEMORY_PROPERTY, "false");
        }
    }

    /**
     * Whether Netty's allocator runs without per-thread caches, given the property's value ({@code null}: unset)
     * and the maximum heap: Netty reads "true", "yes", "1" and an empty value as true and "false", "no", "0" as
     * false, and falls back to the heap rule for anything else.
     */
    static boolean withoutThreadCaches(String property, long maxHeap) {
        String value = property == null ? null : property.trim().toLowerCase(Locale.ROOT);
        if (value != null && (value.isEmpty() || value.equals("true") || value.equals("yes") || value.equals("1"))) {
            return true;
        }
        if (value != null && (value.equals("false") || value.equals("no") || value.equals("0"))) {
            return false;
        }
        return maxHeap <= LOW_MEMORY_HEAP;
    }

    /** Logs once per JVM, at INFO, when this process's Netty allocator goes without per-thread caches. */
    static void noteOnce() {
        long heap = Runtime.getRuntime().maxMemory();
        if (withoutThreadCaches(System.getProperty(LOW_MEMORY_PROPERTY), heap) && NOTED.compareAndSet(false, true)) {
            LOG.info("Netty's buffer allocator runs without per-thread caches (maximum heap {} MB, at most 512 MB, "
                    + "or -D{}=true): every socket read takes a shared cache; -D{}=false keeps them",
                    heap >> 20, LOW_MEMORY_PROPERTY, LOW_MEMORY_PROPERTY);
        }
    }
}
