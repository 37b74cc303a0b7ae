package dev.switchboard.netty.internal.http;

import io.netty.handler.codec.http.HttpContent;

/** Where a client connection's current request is: what its events mean now. Event loop only. */
interface RequestPhase {

    /** A piece of the request body (the owner releases it). */
    void onContent(HttpContent content);

    /** The client connection can take more bytes again. */
    default void onClientWritable() {
    }

    /** The client connection closed. */
    void onClientClosed();

    /** The client idle timeout fired; whether the connection may be closed for it now. */
    default boolean onClientIdle() {
        return true;
    }
}
