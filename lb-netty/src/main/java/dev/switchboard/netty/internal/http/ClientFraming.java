package dev.switchboard.netty.internal.http;

/**
 * What a {@link ClientConnection} needs of the framing beneath it: HTTP/1.1 on a connection of its own
 * ({@link Http1Framing}), or one HTTP/2 stream ({@link ClientStream}), whose requests arrive as the same HTTP/1.1
 * message objects. Event loop only.
 */
interface ClientFraming {

    /** Whether bytes came after an upgrade request that was not upgraded (HTTP/1.1 only; the hold ends). */
    boolean endHold();

    /** Whether a request head is in progress and past its deadline. */
    boolean headOverdue();

    /** When the clock of the last timed request head started ({@link System#nanoTime()}). */
    long headStartedNanos();

    /** Whether the next response heads answer a HEAD request (HTTP/1.1's encoder must know). */
    void answeringHead(boolean head);

    /** Notices the client going away while nothing is asked of it. */
    void watchForClose();

    /** Whether this is one HTTP/2 stream (which closes on its own, and carries no upgrade and no tunnel). */
    boolean isStream();
}
