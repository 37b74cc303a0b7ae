package dev.switchboard.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;

/**
 * An HTTP/1.1 client connection's side: its handler context. Event loop only.
 *
 * @param ctx the {@link ClientConnection}'s context in the connection's pipeline
 */
record ContextSide(ChannelHandlerContext ctx) implements ClientSide {

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    @Override
    public boolean isActive() {
        return ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void read() {
        ctx.read();
    }

    @Override
    public void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void writeAndFlush(Object msg) {
        ctx.writeAndFlush(msg, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void writeAndClose(Object msg) {
        ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        ctx.close();
    }
}
