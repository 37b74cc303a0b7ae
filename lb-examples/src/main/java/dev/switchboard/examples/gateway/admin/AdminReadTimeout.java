package dev.switchboard.examples.gateway.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;

/**
 * Closes an admin connection that has sent nothing for a while, unless it is awaiting a late answer (a state change
 * with a {@code wait}, bounded by that wait): such a client is silent on purpose. One per connection.
 */
final class AdminReadTimeout extends ReadTimeoutHandler {

    AdminReadTimeout(int seconds) {
        super(seconds, TimeUnit.SECONDS);
    }

    @Override
    protected void readTimedOut(ChannelHandlerContext ctx) throws Exception {
        if (!Boolean.TRUE.equals(ctx.channel().attr(AdminHandler.AWAITING).get())) {
            super.readTimedOut(ctx);
        }
    }
}
