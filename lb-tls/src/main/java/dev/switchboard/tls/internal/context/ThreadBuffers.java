package dev.switchboard.tls.internal.context;

import java.nio.ByteBuffer;
import org.conscrypt.AllocatedBuffer;
import org.conscrypt.BufferAllocator;

/**
 * Conscrypt's bridge buffers from one direct buffer per thread. Given heap buffers, a Conscrypt engine copies
 * through a direct buffer into native code and back; without an allocator each engine makes its own with
 * {@code ByteBuffer.allocateDirect} (~16.7 KB, zeroed, freed only when a GC runs its cleaner): one per connection.
 * Every use is inside one engine call on one thread (taken, copied, released before the call returns), so one
 * buffer per thread serves every engine that thread runs; a second request while it is taken (not made by
 * Conscrypt today), or one larger than a TLS record, gets a buffer of its own. Thread-safe (thread-confined).
 */
public final class ThreadBuffers extends BufferAllocator {

    /** The allocator for every Conscrypt engine of this library. */
    public static final ThreadBuffers INSTANCE = new ThreadBuffers();

    /** A TLS record's largest encrypted size (16 KiB of plaintext and 2 KiB of expansion at most) with room. */
    static final int CAPACITY = 18_432;

    private static final ThreadLocal<Lent> LENT = ThreadLocal.withInitial(Lent::new);

    private ThreadBuffers() {
    }

    @Override
    public AllocatedBuffer allocateDirectBuffer(int capacity) {
        if (capacity <= CAPACITY) {
            Lent lent = LENT.get();
            if (!lent.taken) {
                lent.taken = true;
                lent.buffer.clear().limit(capacity);
                return lent;
            }
        }
        return AllocatedBuffer.wrap(ByteBuffer.allocateDirect(capacity));
    }

    /** The thread's buffer, lent to one engine call at a time. */
    private static final class Lent extends AllocatedBuffer {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY);
        private boolean taken;

        @Override
        public ByteBuffer nioBuffer() {
            return buffer;
        }

        @Override
        public AllocatedBuffer release() {
            taken = false;
            return this;
        }
    }
}
