package dev.switchboard.tls.internal.hello;

/**
 * Parses the first handshake message of a TLS connection (ClientHello from a client, ServerHello from a server)
 * out of raw bytes: a pure function, no I/O, no state. The message may be fragmented over several handshake
 * records and the bytes may end anywhere ({@link HelloResults#needMoreBytes}); anything that is not a TLS
 * handshake record is {@link HelloResults#notTls}; a hello that breaks the grammar is
 * {@link HelloResults#malformed}. It never throws and never reads outside {@code [offset, offset + length)}.
 * Bytes in, values out: the values are made by the caller's {@link HelloResults}, so this package does not depend
 * on the API package that uses it.
 *
 * <p>Bounds: a record holds at most 2^14 bytes (RFC 8446 5.1), a hello at most {@link #MAX_HELLO_LENGTH} bytes, so
 * a host never needs to buffer more than {@code MAX_HELLO_LENGTH + 5 * records} bytes before it has an answer.
 */
public final class HelloParser {

    /** The longest hello body accepted (RFC limits are far above any real hello; these are 0.2-2 KB). */
    public static final int MAX_HELLO_LENGTH = 1 << 16;

    static final int HANDSHAKE = 22;
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    private static final int MAX_RECORD = 1 << 14;
    private static final int RECORD_HEADER = 5;

    private HelloParser() {
    }

    /** A ClientHello from {@code buf[offset, offset + length)}, made by {@code results}. */
    public static <R> R parseClientHello(byte[] buf, int offset, int length, HelloResults<R> results) {
        return parse(buf, offset, length, CLIENT_HELLO, results);
    }

    /** A ServerHello from {@code buf[offset, offset + length)}, made by {@code results}. */
    public static <R> R parseServerHello(byte[] buf, int offset, int length, HelloResults<R> results) {
        return parse(buf, offset, length, SERVER_HELLO, results);
    }

    private static <R> R parse(byte[] buf, int offset, int length, int expectedType, HelloResults<R> results) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return results.malformed("bad arguments: offset " + offset + ", length " + length
                    + (buf == null ? ", no buffer" : ", buffer of " + buf.length));
        }
        try {
            Assembled assembled = assemble(buf, offset, length, expectedType);
            if (!(assembled instanceof Message m)) {
                return ((End) assembled).to(results);
            }
            HelloReader body = new HelloReader(m.buf, m.start, m.start + m.length);
            return expectedType == CLIENT_HELLO
                    ? ClientHelloParser.parse(body, m.consumed, results)
                    : ServerHelloParser.parse(body, m.consumed, results);
        } catch (RuntimeException e) {   // a bug, not an input problem: the tests assert this never happens
            return results.malformed("internal parser error: " + e);
        }
    }

    /** What walking the records gave: the hello's body, or the end of the parse. */
    private sealed interface Assembled permits Message, End {
    }

    /** The body of the first handshake message, and how many input bytes it took (record headers included). */
    private record Message(byte[] buf, int start, int length, int consumed) implements Assembled {
    }

    /** A parse that ends before the hello's body: more bytes needed, not TLS, or malformed. */
    private sealed interface End extends Assembled permits NeedMore, NotTls, Malformed {
        <R> R to(HelloResults<R> results);
    }

    private record NeedMore(int atLeast) implements End {
        @Override
        public <R> R to(HelloResults<R> results) {
            return results.needMoreBytes(atLeast);
        }
    }

    private record NotTls(String reason) implements End {
        @Override
        public <R> R to(HelloResults<R> results) {
            return results.notTls(reason);
        }
    }

    private record Malformed(String reason) implements End {
        @Override
        public <R> R to(HelloResults<R> results) {
            return results.malformed(reason);
        }
    }

    /**
     * Walks the handshake records from {@code offset}, gathering the first handshake message. Returns a
     * {@link Message} or the {@link End} of the parse.
     */
    private static Assembled assemble(byte[] buf, int offset, int length, int expectedType) {
        int end = offset + length;
        if (length == 0) {
            return new NeedMore(RECORD_HEADER);
        }
        End notTls = checkFirstByte(buf[offset] & 0xff);
        if (notTls != null) {
            return notTls;
        }
        Gatherer message = new Gatherer(expectedType);
        int pos = offset;
        while (true) {
            if (end - pos < RECORD_HEADER) {
                return new NeedMore(pos - offset + RECORD_HEADER);
            }
            End bad = checkRecordHeader(buf, pos, pos - offset);
            if (bad != null) {
                return bad;
            }
            int recordLength = (buf[pos + 3] & 0xff) << 8 | buf[pos + 4] & 0xff;
            int fragment = pos + RECORD_HEADER;
            int available = Math.min(recordLength, end - fragment);
            if (pos == offset && available >= 4) {
                Assembled inPlace = inPlace(buf, fragment, available, expectedType, offset);
                if (inPlace != null) {
                    return inPlace;
                }
            }
            int used = message.feed(buf, fragment, available);
            if (message.failure != null) {
                return message.failure;
            }
            if (message.complete()) {
                return new Message(message.bytes, 4, message.bytes.length - 4, fragment + used - offset);
            }
            if (available < recordLength) {
                int restOfRecord = recordLength - available;
                int missing = message.missing();
                return new NeedMore(missing <= restOfRecord
                        ? fragment + available + missing - offset
                        : fragment + recordLength - offset + RECORD_HEADER + missing - restOfRecord);
            }
            pos = fragment + recordLength;
        }
    }

    /** The whole message inside the first record's available bytes: no copy. Null when it is not. */
    private static Assembled inPlace(byte[] buf, int fragment, int available, int expectedType, int offset) {
        byte[] header = {buf[fragment], buf[fragment + 1], buf[fragment + 2], buf[fragment + 3]};
        End problem = headerProblem(header, expectedType);
        if (problem != null) {
            return problem;
        }
        int bodyLength = bodyLength(header);
        if (4 + bodyLength > available) {
            return null;
        }
        return new Message(buf, fragment + 4, bodyLength, fragment + 4 + bodyLength - offset);
    }

    /** Gathers one handshake message from record fragments. Not thread-safe; one per parse. */
    private static final class Gatherer {
        private final int expectedType;
        private final byte[] header = new byte[4];
        private int have;
        private byte[] bytes;
        End failure;

        Gatherer(int expectedType) {
            this.expectedType = expectedType;
        }

        boolean complete() {
            return bytes != null && have == bytes.length;
        }

        /** Bytes still missing once the length is known; 1 (at least) before. */
        int missing() {
            return bytes == null ? 4 - have : bytes.length - have;
        }

        /** Takes what it needs of {@code n} bytes from {@code from}; returns how many it took. */
        int feed(byte[] src, int from, int n) {
            int taken = 0;
            if (bytes == null) {
                int c = Math.min(4 - have, n);
                System.arraycopy(src, from, header, have, c);
                have += c;
                taken = c;
                if (have < 4) {
                    return taken;
                }
                failure = headerProblem(header, expectedType);
                if (failure != null) {
                    return taken;
                }
                bytes = new byte[4 + bodyLength(header)];
                System.arraycopy(header, 0, bytes, 0, 4);
            }
            int c = Math.min(n - taken, bytes.length - have);
            System.arraycopy(src, from + taken, bytes, have, c);
            have += c;
            return taken + c;
        }
    }

    private static End checkFirstByte(int first) {
        if (first == HANDSHAKE) {
            return null;
        }
        if ((first & 0x80) != 0) {
            return new NotTls("first byte 0x" + hex2(first) + ": an SSLv2-compatible hello or not TLS");
        }
        return new NotTls("first byte 0x" + hex2(first) + " is not a TLS handshake record (0x16)");
    }

    private static End checkRecordHeader(byte[] buf, int pos, int at) {
        int type = buf[pos] & 0xff;
        if (type != HANDSHAKE) {
            return new Malformed("record type " + type + " at offset " + at
                    + " interrupts the hello (expected: handshake, 22)");
        }
        int major = buf[pos + 1] & 0xff;
        int minor = buf[pos + 2] & 0xff;
        if (major != 3 || minor > 4) {
            return new NotTls("record version 0x" + hex2(major) + hex2(minor) + " is not TLS");
        }
        int recordLength = (buf[pos + 3] & 0xff) << 8 | buf[pos + 4] & 0xff;
        if (recordLength == 0) {
            return new Malformed("empty handshake record at offset " + at);
        }
        if (recordLength > MAX_RECORD) {
            return new Malformed("record length " + recordLength + " at offset " + at + " exceeds "
                    + MAX_RECORD);
        }
        return null;
    }

    /** What is wrong with a 4-byte handshake header (its type, its length), or null when nothing is. */
    private static End headerProblem(byte[] header, int expectedType) {
        int type = header[0] & 0xff;
        if (type != expectedType) {
            return new Malformed("first handshake message is type " + type + " (expected: "
                    + (expectedType == CLIENT_HELLO ? "ClientHello, 1" : "ServerHello, 2") + ")");
        }
        int bodyLength = bodyLength(header);
        if (bodyLength > MAX_HELLO_LENGTH) {
            return new Malformed("hello length " + bodyLength + " exceeds " + MAX_HELLO_LENGTH);
        }
        return null;
    }

    /** The body length in a 4-byte handshake header. */
    private static int bodyLength(byte[] header) {
        return (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | header[3] & 0xff;
    }

    static String hex2(int b) {
        return Character.forDigit(b >>> 4 & 0xf, 16) + "" + Character.forDigit(b & 0xf, 16);
    }
}
