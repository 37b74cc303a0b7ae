package dev.switchboard.health.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A chunked HTTP/1.1 body in a byte buffer, read so far: decoded up to a limit ({@link #decode}) and, for a connection
 * kept for the next request, where the message ends after its last chunk and trailers ({@link #end}). Chunk
 * extensions and trailers are skipped. Stateless.
 */
final class ChunkedBody {

    private ChunkedBody() {
    }

    /**
     * The body decoded from {@code buf[from..to)}: complete at the last chunk or once {@code limit} bytes are decoded.
     *
     * @param bad why the chunking is not valid, or null
     */
    record Decoded(byte[] body, boolean complete, String bad) {
    }

    static Decoded decode(byte[] buf, int from, int to, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = from;
        while (true) {
            int eol = indexOf(buf, (byte) '\n', p, to);
            if (eol < 0) {
                return new Decoded(out.toByteArray(), false, null);
            }
            String line = new String(buf, p, eol - p, StandardCharsets.ISO_8859_1).trim();
            long chunk = chunkSize(line);
            if (chunk < 0) {
                return new Decoded(out.toByteArray(), false, "bad chunk size " + HeadBytes.printable(line));
            }
            if (chunk == 0) {
                return new Decoded(out.toByteArray(), true, null);
            }
            int dataStart = eol + 1;
            int available = (int) Math.min(chunk, to - dataStart);
            int take = Math.min(available, limit - out.size());
            out.write(buf, dataStart, take);
            if (out.size() >= limit) {
                return new Decoded(out.toByteArray(), true, null);
            }
            if (available < chunk) {
                return new Decoded(out.toByteArray(), false, null);
            }
            int after = indexOf(buf, (byte) '\n', dataStart + (int) chunk, to); // the CRLF after the data
            if (after < 0) {
                return new Decoded(out.toByteArray(), false, null);
            }
            p = after + 1;
        }
    }

    /**
     * Where the chunked message starting at {@code from} ends (after the last chunk and the trailers' empty line), -1
     * when that is not read yet, -2 when the chunking is not valid.
     */
    static int end(byte[] buf, int from, int to) {
        int p = from;
        while (true) {
            int eol = indexOf(buf, (byte) '\n', p, to);
            if (eol < 0) {
                return -1;
            }
            long chunk = chunkSize(new String(buf, p, eol - p, StandardCharsets.ISO_8859_1).trim());
            if (chunk < 0) {
                return -2;
            }
            if (chunk == 0) {
                return trailersEnd(buf, eol + 1, to);
            }
            if (eol + 1 + chunk >= to) {
                return -1;
            }
            int after = indexOf(buf, (byte) '\n', eol + 1 + (int) chunk, to); // the CRLF after the data
            if (after < 0) {
                return -1;
            }
            p = after + 1;
        }
    }

    /** The end of the trailer section starting at {@code p}: after its empty line, or -1 when not read yet. */
    private static int trailersEnd(byte[] buf, int p, int to) {
        while (true) {
            int eol = indexOf(buf, (byte) '\n', p, to);
            if (eol < 0) {
                return -1;
            }
            if (eol == p || (eol == p + 1 && buf[p] == '\r')) {
                return eol + 1;
            }
            p = eol + 1;
        }
    }

    /** The size of a chunk-size line (extensions ignored), or -1 when it is not one. */
    private static long chunkSize(String line) {
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            return hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
