package dev.switchboard.health.internal;

import dev.switchboard.api.HealthCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One plain-HTTP/1.1 exchange of a probe on the {@link TcpProbe} loop: the request bytes (made once per target by
 * {@link ProbeRequest#bytes}), and a parser fed with what the socket reads ({@link #received}) until it has an
 * outcome.
 * Reads the status line and headers (up to {@value #MAX_HEAD} bytes), then as much of the body as the check needs:
 * none for a status check, up to {@value HttpProbe#MAX_AGENT_BYTES} bytes for an HTTP agent check and up to
 * {@value HttpProbe#MAX_BODY_BYTES} bytes for a body pattern, by Content-Length, chunked or until the server closes.
 * Judged by {@link HttpProbe#judge(HealthCheck, int, String, long)}, as HTTPS answers are.
 *
 * <p>When the check reuses its connection, a successful answer is read to its end (when it fits the read buffer:
 * {@value #MAX_HEAD} bytes plus what the check keeps plus {@value #CHUNK_SLACK}), and {@link #keepAlive()} says
 * whether the connection may carry the next request: HTTP/1.1, no {@code Connection: close}, a body framed by
 * Content-Length or chunked, nothing read beyond its end. {@link #reset()} readies the exchange for the next probe.
 * Not thread-safe: used by the loop thread.
 */
final class HttpExchange {

    static final int MAX_HEAD = 16 * 1024;
    /** Room for chunk-size lines around the body that is kept. */
    private static final int CHUNK_SLACK = 8 * 1024;

    private final HealthCheck check;
    private final ByteBuffer request;
    private final boolean head;
    private final int bodyLimit;
    private final boolean reuse;
    private boolean keepAlive;
    private byte[] buf = new byte[2048];
    private int size;
    private int headEnd = -1;
    private int status;
    private long contentLength = -1;
    private boolean chunked;
    private boolean noBody;

    HttpExchange(HealthCheck check, byte[] request) {
        this.check = check;
        this.request = ByteBuffer.wrap(request);
        this.reuse = check.reuseConnection();
        this.head = check.method() == HealthCheck.Method.HEAD;
        this.bodyLimit = check.type() == HealthCheck.Type.HTTP_AGENT ? (int) HttpProbe.MAX_AGENT_BYTES
                : check.bodyPattern().isEmpty() ? 0 : (int) HttpProbe.MAX_BODY_BYTES;
    }

    /** Readies this exchange for the next probe of its target: the whole request to write, nothing read. */
    void reset() {
        request.rewind();
        size = 0;
        headEnd = -1;
        status = 0;
        contentLength = -1;
        chunked = false;
        noBody = false;
        keepAlive = false;
    }

    /** Whether any byte of the answer has been read. */
    boolean responseStarted() {
        return size > 0;
    }

    /**
     * Whether, after a successful outcome, the connection may carry the next request: the answer allows it and was
     * read exactly to its end.
     */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The request bytes still to write. */
    ByteBuffer request() {
        return request;
    }

    /** Room to read into: the unused end of the buffer, grown when full (never beyond what the check needs). */
    ByteBuffer readBuffer() {
        if (size == buf.length) {
            byte[] bigger = new byte[Math.min(buf.length * 2, capacity())];
            System.arraycopy(buf, 0, bigger, 0, size);
            buf = bigger;
        }
        return ByteBuffer.wrap(buf, size, buf.length - size);
    }

    /**
     * Takes {@code n} more bytes read into {@link #readBuffer()}, or the end of the stream when {@code n} is negative.
     * Returns the outcome once there is one, else null (read more).
     */
    ProbeOutcome received(int n, long start) {
        if (n < 0) {
            return ended(start);
        }
        int from = size;
        size += n;
        if (headEnd < 0) {
            ProbeOutcome bad = checkStatusLine(start);
            if (bad != null) {
                return bad;
            }
            headEnd = findHeadEnd(Math.max(0, from - 3));
            if (headEnd < 0) {
                return size >= MAX_HEAD ? failed("not HTTP: no end of the headers within " + MAX_HEAD + " bytes",
                        start) : null;
            }
            ProbeOutcome parsed = parseHead(start);
            if (parsed != null) {
                return parsed;
            }
        }
        return bodyComplete() ? judge(body(), start) : null;
    }

    private int capacity() {
        return MAX_HEAD + bodyLimit + CHUNK_SLACK;
    }

    private ProbeOutcome ended(long start) {
        keepAlive = false;
        if (headEnd < 0) {
            int eol = indexOf((byte) '\n', 0, size);
            return failed(eol < 0 ? "connection closed before the status line"
                    : "io error: connection closed in the response headers", start);
        }
        if (chunked) {
            ChunkedBody.Decoded c = ChunkedBody.decode(buf, headEnd, size, bodyLimit);
            if (c.bad() != null) {
                return failed("not HTTP: " + c.bad(), start);
            }
            return c.complete() ? judge(c.body(), start)
                    : failed("io error: connection closed in the chunked body", start);
        }
        int got = size - headEnd;
        if (contentLength >= 0 && got < Math.min(contentLength, bodyLimit)) {
            return failed("io error: connection closed in the body (" + got + " of " + contentLength + " bytes)",
                    start);
        }
        return judge(java.util.Arrays.copyOfRange(buf, headEnd, size), start);
    }

    /** Fails fast on an answer that does not start like a status line. */
    private ProbeOutcome checkStatusLine(long start) {
        byte[] prefix = {'H', 'T', 'T', 'P', '/'};
        for (int i = 0; i < Math.min(size, prefix.length); i++) {
            if (buf[i] != prefix[i]) {
                return failed("not HTTP: " + snippet(), start);
            }
        }
        return null;
    }

    private int findHeadEnd(int from) {
        for (int i = from; i < size; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < size && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < size && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /**
     * Parses the status line and the headers that matter, in place (lines end in CRLF, or a bare LF from lenient
     * servers); an outcome when the answer is bad or needs no body.
     */
    private ProbeOutcome parseHead(long start) {
        int eol = HeadBytes.lineEnd(buf, 0, headEnd);
        int statusEnd = HeadBytes.withoutCr(buf, 0, eol);
        if (!HeadBytes.isStatusLine(buf, statusEnd)) {
            return failed("not HTTP: " + HeadBytes.printable(latin1(0, statusEnd)), start);
        }
        status = HeadBytes.status(buf);
        keepAlive = reuse && buf[5] == '1' && buf[7] == '1'; // HTTP/1.1
        for (int from = eol + 1; from < headEnd; ) {
            int nl = HeadBytes.lineEnd(buf, from, headEnd);
            int end = HeadBytes.withoutCr(buf, from, nl);
            ProbeOutcome bad = header(from, end, start);
            if (bad != null) {
                return bad;
            }
            from = nl + 1;
        }
        noBody = head || status < 200 || status == 204 || status == 304;
        if (!noBody && (chunked == (contentLength >= 0) || contentLength > capacity() - headEnd)) {
            keepAlive = false; // read until close, both framings, or longer than the buffer
        }
        if (status < 200) {
            return failed("not HTTP: unexpected interim status " + status, start); // nothing asks for one
        }
        return null;
    }

    /** One header line, {@code [from, end)}: notes the framing and {@code Connection: close}; an outcome when bad. */
    private ProbeOutcome header(int from, int end, long start) {
        if (from == end) {
            return null;
        }
        int colon = indexOf((byte) ':', from, end);
        if (colon <= from) { // none, or no name
            return failed("not HTTP: bad header line " + HeadBytes.printable(latin1(from, end)), start);
        }
        int nameFrom = HeadBytes.trimStart(buf, from, colon);
        int nameEnd = HeadBytes.trimEnd(buf, nameFrom, colon);
        int valueFrom = HeadBytes.trimStart(buf, colon + 1, end);
        int valueEnd = HeadBytes.trimEnd(buf, valueFrom, end);
        if (HeadBytes.is(buf, nameFrom, nameEnd, "content-length")) {
            String value = latin1(valueFrom, valueEnd);
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                contentLength = -2;
            }
            if (contentLength < 0) {
                return failed("not HTTP: bad Content-Length " + HeadBytes.printable(value), start);
            }
        } else if (HeadBytes.is(buf, nameFrom, nameEnd, "transfer-encoding")) {
            chunked = latin1(valueFrom, valueEnd).toLowerCase(Locale.ROOT).endsWith("chunked");
        } else if (HeadBytes.is(buf, nameFrom, nameEnd, "connection")
                && HeadBytes.hasToken(latin1(valueFrom, valueEnd), "close")) {
            keepAlive = false;
        }
        return null;
    }

    private String latin1(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the answer can be judged; when it may keep the connection, also waits for the end of the message, and
     * gives up keeping it when there is no such end within the buffer or bytes follow it.
     */
    private boolean bodyComplete() {
        if (!judgeable()) {
            return false;
        }
        if (!check.expectsStatus(status)) {
            keepAlive = false; // a failure: the connection is not kept
        } else if (keepAlive) {
            int end = messageEnd();
            if (end == -1 && size < capacity()) {
                return false; // read the rest, so that the next request finds the connection clean
            }
            keepAlive = end == size;
        }
        return true;
    }

    private boolean judgeable() {
        if (noBody || bodyLimit == 0 || !check.expectsStatus(status)) {
            return true; // judged on the status alone
        }
        int got = size - headEnd;
        if (chunked) {
            ChunkedBody.Decoded c = ChunkedBody.decode(buf, headEnd, size, bodyLimit);
            return c.complete() || c.bad() != null || size == MAX_HEAD + bodyLimit + CHUNK_SLACK;
        }
        if (contentLength >= 0) {
            return got >= Math.min(contentLength, bodyLimit);
        }
        return got >= bodyLimit;
    }

    private byte[] body() {
        if (noBody || bodyLimit == 0 || !check.expectsStatus(status)) {
            return new byte[0];
        }
        if (chunked) {
            return ChunkedBody.decode(buf, headEnd, size, bodyLimit).body();
        }
        long len = size - headEnd;
        if (contentLength >= 0) {
            len = Math.min(len, contentLength);
        }
        return java.util.Arrays.copyOfRange(buf, headEnd, headEnd + (int) Math.min(len, bodyLimit));
    }

    /** Where the message ends: an index into the buffer, -1 when not read yet, -2 when the chunking is bad. */
    private int messageEnd() {
        if (noBody) {
            return headEnd;
        }
        if (!chunked) {
            long end = headEnd + contentLength;
            return size >= end ? (int) end : -1;
        }
        return ChunkedBody.end(buf, headEnd, size);
    }

    private ProbeOutcome judge(byte[] body, long start) {
        return HttpProbe.judge(check, status, new String(body, StandardCharsets.UTF_8), System.nanoTime() - start);
    }

    private ProbeOutcome failed(String reason, long start) {
        ProbeOutcome o = ProbeOutcome.failed(reason, System.nanoTime() - start);
        return status > 0 ? o.withStatus(status) : o;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first bytes of the answer, printable. */
    private String snippet() {
        int eol = indexOf((byte) '\n', 0, Math.min(size, 64));
        return HeadBytes.printable(latin1(0, eol < 0 ? Math.min(size, 64) : eol));
    }
}
