package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The socket read buffers of an HTTP/1.1 connection: the sizes that the channel's own read allocator guesses, the
 * buffers, when small, from {@link SmallBuffers} (a request or a small response read, decoded and passed on
 * before the next read, costs a slice instead of an allocator's buffer). Thread-safe; each channel gets its own.
 *
 * <pre>{@code
 * ReadBuffers.install(ch);   // in initChannel, before the first read
 * }</pre>
 */
public final class ReadBuffers implements RecvByteBufAllocator {

    private final RecvByteBufAllocator sizes;

    private ReadBuffers(RecvByteBufAllocator sizes) {
        this.sizes = sizes;
    }

    /** Makes {@code ch} read into small buffers, sized as its configured read allocator guesses. */
    public static void install(Channel ch) {
        RecvByteBufAllocator current = ch.config().getRecvByteBufAllocator();
        if (!(current instanceof ReadBuffers)) {
            ch.config().setRecvByteBufAllocator(new ReadBuffers(current));
        }
    }

    @Override
    public Handle newHandle() {
        return new SliceHandle((ExtendedHandle) sizes.newHandle());
    }

    private static final class SliceHandle extends DelegatingHandle implements ExtendedHandle {
        SliceHandle(ExtendedHandle sizes) {
            super(sizes);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return SmallBuffers.take(alloc, guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
