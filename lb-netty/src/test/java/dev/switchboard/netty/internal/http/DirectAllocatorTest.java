package dev.switchboard.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every buffer {@link DirectAllocator} hands out is direct, heap requests included, and keeps its capacities. */
class DirectAllocatorTest {

    /** Prefers heap buffers, so that a request answered by the delegate's default shows up as heap. */
    private final DirectAllocator allocator = new DirectAllocator(new UnpooledByteBufAllocator(false));

    @Test
    void heapAndDefaultRequests_getDirectBuffersOfTheAskedCapacity() {
        List<Function<ByteBufAllocator, ByteBuf>> requests = List.of(
                a -> a.heapBuffer(), a -> a.heapBuffer(100), a -> a.heapBuffer(100, 200),
                a -> a.buffer(), a -> a.buffer(100), a -> a.buffer(100, 200),
                a -> a.ioBuffer(), a -> a.ioBuffer(100), a -> a.ioBuffer(100, 200),
                a -> a.directBuffer(), a -> a.directBuffer(100), a -> a.directBuffer(100, 200));
        for (Function<ByteBufAllocator, ByteBuf> request : requests) {
            ByteBuf viaDelegate = request.apply(new UnpooledByteBufAllocator(false));
            ByteBuf buf = request.apply(allocator);
            try {
                assertThat(buf.isDirect()).isTrue();
                assertThat(buf.capacity()).isEqualTo(viaDelegate.capacity());
                assertThat(buf.maxCapacity()).isEqualTo(viaDelegate.maxCapacity());
                buf.writeBytes(new byte[] {1, 2, 3});
                assertThat(buf.readByte()).isEqualTo((byte) 1);
            } finally {
                buf.release();
                viaDelegate.release();
            }
        }
    }

    @Test
    void compositeRequests_composeDirectBuffers() {
        for (CompositeByteBuf c : List.of(allocator.compositeHeapBuffer(), allocator.compositeHeapBuffer(4),
                allocator.compositeBuffer(), allocator.compositeBuffer(4), allocator.compositeDirectBuffer())) {
            try {
                c.addComponent(true, allocator.heapBuffer(8).writeLong(42));
                assertThat(c.isDirect()).isTrue();
                assertThat(c.readLong()).isEqualTo(42);
            } finally {
                c.release();
            }
        }
    }

    @Test
    void pooling_isTheDelegates() {
        assertThat(allocator.isDirectBufferPooled()).isFalse();
        assertThat(new DirectAllocator(ByteBufAllocator.DEFAULT).isDirectBufferPooled())
                .isEqualTo(ByteBufAllocator.DEFAULT.isDirectBufferPooled());
        assertThat(allocator.calculateNewCapacity(1000, 1 << 20))
                .isEqualTo(new UnpooledByteBufAllocator(false).calculateNewCapacity(1000, 1 << 20));
    }
}
