package dev.switchboard.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.Objects;

/**
 * A channel's allocator that answers every request for a heap buffer with a direct one from {@code delegate}, for
 * connections that terminate TLS on Conscrypt.
 *
 * <p>Netty's {@code SslHandler} recognises Conscrypt only on Java 14 and earlier; on later JVMs it drives a
 * Conscrypt engine as a JDK engine, which means heap buffers: it gathers the pending plaintext into a heap buffer,
 * asks for a heap buffer of a whole record's size (about 16 KiB) for every {@code wrap}, and the transport copies that
 * into a direct buffer again to write it. Conscrypt works on native memory, so each heap buffer costs it a copy in and
 * a copy out. With this allocator on the channel those buffers are direct, and a record goes from the engine to the
 * socket without a copy. Code that calls {@code heapBuffer()} must not assume {@code hasArray()} (Netty's own handlers
 * do not). Stateless apart from the delegate; thread-safe when the delegate is.
 */
final class DirectAllocator implements ByteBufAllocator {

    private final ByteBufAllocator delegate;

    DirectAllocator(ByteBufAllocator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ByteBuf buffer() {
        return delegate.directBuffer();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return delegate.directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return delegate.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return delegate.directBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return delegate.directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return delegate.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return delegate.directBuffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return delegate.directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return delegate.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return delegate.directBuffer();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return delegate.directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return delegate.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return delegate.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return delegate.compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return delegate.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return delegate.compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return delegate.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return delegate.compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return delegate.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
