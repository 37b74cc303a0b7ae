package dev.switchboard.netty.internal.upstream;

/**
 * What happens on a connection to a real server while one exchange holds it. Called on the connection's event
 * loop only; implementations must not block.
 */
public interface UpstreamListener {

    /** A decoded message ({@code HttpResponse} head or {@code HttpContent}); the listener owns it and releases it. */
    void onMessage(Object message);

    /**
     * The socket read that brought the messages handed over so far is fully processed (not called while messages
     * wait for a {@code read()}): the moment to flush what they produced. Does nothing by default.
     */
    default void onReadComplete() {
    }

    /** The connection became writable again after back-pressure. */
    void onWritable();

    /** No byte in either direction for the server idle timeout. */
    void onIdle();

    /** The connection closed (by either side, or after an error). */
    void onClosed();
}
