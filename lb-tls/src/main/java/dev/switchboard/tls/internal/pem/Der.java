package dev.switchboard.tls.internal.pem;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DER this module needs: reading the outer layers of private keys (PKCS#1, SEC1, PKCS#8) and writing
 * the PKCS#8 wrappers around them (the tests also build certificates with it). Definite lengths only, which is all
 * DER allows. Reading throws {@link IllegalArgumentException} with what is wrong; callers turn it into a message
 * that names the file.
 */
public final class Der {

    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int NULL = 0x05;
    public static final int OID = 0x06;
    public static final int SEQUENCE = 0x30;

    private Der() {
    }

    /** One decoded element: its tag and where its content lies in {@code buf}. */
    public record Element(byte[] buf, int tag, int start, int end) {

        /** The content bytes (a copy). */
        public byte[] content() {
            return java.util.Arrays.copyOfRange(buf, start, end);
        }

        /** The children of a constructed element. */
        public List<Element> children() {
            List<Element> out = new ArrayList<>();
            int at = start;
            while (at < end) {
                Element e = read(buf, at, end);
                out.add(e);
                at = e.end;
            }
            return out;
        }

        /** The content as an OID in dotted form (only for tag {@link #OID}). */
        public String oid() {
            return decodeOid(buf, start, end);
        }
    }

    /** Reads the element at {@code off}, which must end at or before {@code limit}. */
    public static Element read(byte[] buf, int off, int limit) {
        if (limit - off < 2) {
            throw new IllegalArgumentException("truncated DER element at offset " + off);
        }
        int tag = buf[off] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IllegalArgumentException("multi-byte DER tag at offset " + off);
        }
        int first = buf[off + 1] & 0xff;
        int at = off + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || limit - at < n) {
                throw new IllegalArgumentException("bad DER length at offset " + off);
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (buf[at++] & 0xff);
            }
        }
        if (length > limit - at) {
            throw new IllegalArgumentException("DER element at offset " + off + " runs past its end");
        }
        return new Element(buf, tag, at, at + (int) length);
    }

    /** Reads the single element that must fill {@code buf} exactly. */
    public static Element readWhole(byte[] buf) {
        Element e = read(buf, 0, buf.length);
        if (e.end != buf.length) {
            throw new IllegalArgumentException((buf.length - e.end) + " trailing bytes after the DER structure");
        }
        return e;
    }

    /** Encodes tag, length and content. */
    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int len = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 6);
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... parts) {
        return tlv(SEQUENCE, parts);
    }

    public static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    public static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING with no unused bits. */
    public static byte[] bitString(byte[] value) {
        return tlv(BIT_STRING, new byte[] {0}, value);
    }

    public static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    public static byte[] utf8String(String s) {
        return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
    }

    /** An explicit (constructed) context-specific tag {@code [n]}. */
    public static byte[] explicit(int n, byte[]... parts) {
        return tlv(0xa0 | n, parts);
    }

    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, Long.parseLong(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        for (long t = v >>> 7; t != 0; t >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) (v >>> (7 * g)) & 0x7f;
            out.write(g == 0 ? b : b | 0x80);
        }
    }

    private static String decodeOid(byte[] buf, int start, int end) {
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        for (int i = start; i < end; i++) {
            v = (v << 7) | (buf[i] & 0x7f);
            if ((buf[i] & 0x80) == 0) {
                if (first) {
                    long a = Math.min(v / 40, 2);
                    sb.append(a).append('.').append(v - a * 40);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            }
        }
        return sb.toString();
    }
}
