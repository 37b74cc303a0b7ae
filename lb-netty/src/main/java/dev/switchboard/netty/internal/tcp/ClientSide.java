package dev.switchboard.netty.internal.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/** The client channel's events, handed to its {@link TcpSession}. One per connection. */
public final class ClientSide extends ChannelInboundHandlerAdapter {

    private final TcpSession session;

    private ClientSide(TcpSession session) {
        this.session = session;
    }

    /** The handler of one accepted client connection {@code client}, relayed as {@code route} says. */
    public static ClientSide of(Channel client, TcpRoute route) {
        return new ClientSide(new TcpSession(client, route));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            session.onClientBytes(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.onClientReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            session.onClientInputShutdown();
        } else if (evt instanceof IdleStateEvent) {
            session.onIdle();
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.onClientWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onClientClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.onClientError(cause);
    }
}
