package dev.switchboard.netty.internal.http;

/**
 * One HTTP/2 stream: no head deadline (the connection's limits bound a header block), no upgrade, and a client that
 * goes away resets the stream, which closes its channel whatever was asked of it. Stateless.
 */
enum StreamFraming implements ClientFraming {
    INSTANCE;

    @Override
    public boolean endHold() {
        return false;
    }

    @Override
    public boolean headOverdue() {
        return false;
    }

    @Override
    public long headStartedNanos() {
        return System.nanoTime();
    }

    @Override
    public void answeringHead(boolean head) {
        // HTTP/2 frames a body by its DATA frames: a HEAD answer needs nothing special
    }

    @Override
    public void watchForClose() {
        // a reset or a connection loss closes the stream channel; nothing to read for it
    }

    @Override
    public boolean isStream() {
        return true;
    }
}
