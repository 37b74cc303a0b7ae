package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.OneMessagePerRead;

/**
 * HTTP/1.1 on a client connection of its own: the strict request decoder, the response encoder and the
 * one-message-per-read flow handler of its pipeline. Event loop only.
 *
 * @param decoder the request decoder (head deadlines, the hold after an upgrade request)
 * @param encoder the response encoder (HEAD answers)
 * @param flow    the flow handler (one message per read, watching for a close)
 */
record Http1Framing(ClientRequestDecoder decoder, ClientResponseEncoder encoder, OneMessagePerRead flow)
        implements ClientFraming {

    @Override
    public boolean endHold() {
        return decoder.endHold();
    }

    @Override
    public boolean headOverdue() {
        return decoder.headOverdue();
    }

    @Override
    public long headStartedNanos() {
        return decoder.headStartedNanos();
    }

    @Override
    public void answeringHead(boolean head) {
        encoder.answeringHead(head);
    }

    @Override
    public void watchForClose() {
        flow.watchForClose();
    }

    @Override
    public boolean isStream() {
        return false;
    }
}
