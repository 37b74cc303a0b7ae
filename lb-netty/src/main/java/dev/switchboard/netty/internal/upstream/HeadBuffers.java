package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The outgoing buffers of HTTP/1.1 heads and chunk lines: slices of one direct region per thread, taken in turn
 * (a bump allocator), instead of a buffer from the channel's allocator for each head. A slice holds a reference to
 * the region; the region starts again from its beginning as soon as every slice written before is released (the
 * usual case: a head is written and flushed before the next one starts), and is let go for a new one when it is
 * full while some slice is still held (a client that reads slowly). So a head costs a copy and one small slice
 * object, not an allocator's buffer with its recycled handle. A slow client pins at most one region of
 * {@value #REGION} bytes; a head larger than a quarter of that gets a buffer of its own. Not thread-safe: each
 * thread has its own regions ({@link #copy} on the event loop that writes the slice).
 *
 * <pre>{@code
 * ctx.write(HeadBuffers.copy(ctx.alloc(), bytes, 0, length), ctx.voidPromise());
 * }</pre>
 */
public final class HeadBuffers {

    static final int REGION = 8 * 1024;

    private static final FastThreadLocal<HeadBuffers> THREAD = new FastThreadLocal<>() {
        @Override
        protected HeadBuffers initialValue() {
            return new HeadBuffers();
        }

        @Override
        protected void onRemoval(HeadBuffers value) {
            value.drop();
        }
    };

    private ByteBuf region;

    private HeadBuffers() {
    }

    /**
     * A direct buffer holding {@code length} bytes of {@code bytes} from {@code offset}, owned by the caller (one
     * reference: written out, it is released by the transport).
     */
    public static ByteBuf copy(ByteBufAllocator alloc, byte[] bytes, int offset, int length) {
        return THREAD.get().slice(alloc, length).writeBytes(bytes, offset, length);
    }

    private ByteBuf slice(ByteBufAllocator alloc, int length) {
        if (length > REGION / 4) {
            return alloc.directBuffer(length, length);
        }
        ByteBuf r = region;
        if (r == null || r.refCnt() == 1) {
            if (r == null) {
                r = region = alloc.directBuffer(REGION, REGION);
            }
            r.clear(); // nothing written from it is still held
        } else if (r.writableBytes() < length) {
            r.release(); // the slices still out keep it until they are written
            r = region = alloc.directBuffer(REGION, REGION);
        }
        int start = r.writerIndex();
        r.writerIndex(start + length);
        ByteBuf slice = r.slice(start, length).retain();
        slice.writerIndex(0); // the caller writes the bytes
        return slice;
    }

    private void drop() {
        if (region != null) {
            region.release();
            region = null;
        }
    }
}
