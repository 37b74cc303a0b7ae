package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Small direct buffers (HTTP/1.1 heads and chunk lines) as slices of one region per thread, taken in turn (a bump
 * allocator), instead of a buffer from the channel's allocator each. A slice holds a reference to its region; the
 * region starts again from its beginning as soon as every slice taken from it is released (the usual case: a head is
 * written and flushed before the next one starts), and is let go for a new one when it is full while some slice is
 * still held (a client that reads slowly). So a small buffer costs a copy and one small slice object, not an
 * allocator's buffer with its recycled handle. A held slice pins at most its region of {@value #REGION} bytes; a
 * buffer over {@value #MAX} bytes comes from the allocator. Not thread-safe: each thread has its own region (taken
 * and written on the channel's event loop).
 *
 * <pre>{@code
 * ctx.write(SmallBuffers.copy(ctx.alloc(), bytes, 0, length), ctx.voidPromise());
 * }</pre>
 */
public final class SmallBuffers {

    static final int REGION = 8 * 1024;
    /** The largest buffer taken from a region. */
    static final int MAX = 2 * 1024;

    private static final FastThreadLocal<SmallBuffers> THREAD = new FastThreadLocal<>() {
        @Override
        protected SmallBuffers initialValue() {
            return new SmallBuffers();
        }

        @Override
        protected void onRemoval(SmallBuffers value) {
            value.drop();
        }
    };

    private ByteBuf region;

    private SmallBuffers() {
    }

    /**
     * A direct buffer holding {@code length} bytes of {@code bytes} from {@code offset}, owned by the caller (one
     * reference: written out, it is released by the transport).
     */
    public static ByteBuf copy(ByteBufAllocator alloc, byte[] bytes, int offset, int length) {
        return take(alloc, length).writeBytes(bytes, offset, length);
    }

    /** An empty direct buffer of {@code capacity} bytes (it does not grow), owned by the caller. */
    static ByteBuf take(ByteBufAllocator alloc, int capacity) {
        if (capacity > MAX) {
            return alloc.directBuffer(capacity);
        }
        return THREAD.get().slice(alloc, capacity);
    }

    private ByteBuf slice(ByteBufAllocator alloc, int length) {
        ByteBuf r = region;
        if (r == null) {
            r = region = alloc.directBuffer(REGION, REGION);
        } else if (r.refCnt() == 1) {
            r.clear(); // nothing taken from it is still held
        } else if (r.writableBytes() < length) {
            r.release(); // the slices still out keep it until they are released
            r = region = alloc.directBuffer(REGION, REGION);
        }
        int start = r.writerIndex();
        r.writerIndex(start + length);
        ByteBuf slice = r.slice(start, length).retain();
        slice.writerIndex(0);
        return slice;
    }

    private void drop() {
        if (region != null) {
            region.release();
            region = null;
        }
    }
}
