package dev.switchboard.netty.internal.upstream;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A header table for the heads the proxy decodes: the lines in their order in two arrays (names and values as the
 * decoder made them), looked up by a scan. A head carries some ten lines and is read a few times, so a scan over
 * one array beats Netty's hash table, which costs a bucket array, an entry object per line and a hash per lookup.
 * Names are compared ignoring ASCII case; {@link #containsValue} splits on commas as Netty's tables do. Every name
 * and value added is validated as {@code DefaultHttpHeadersFactory.headersFactory().withValidation(true)} does (a
 * token name, no control character but HTAB in a value), so the decoders refuse what they refused before.
 * {@link #nameAt}/{@link #valueAt} let a head be copied out without an iterator.
 *
 * <p>Each line also carries its name's {@link HeaderFields} field, noted as it is added (by {@link FieldLines}
 * while it splits a head, else from the name), and the table keeps the set of fields it has lines of, through
 * every add, set and remove: a lookup of one of those names is a bit test, and when the field is there a scan of
 * one byte per line ({@link #has}, {@link #indexOf(int, int)}); other names are compared with the lines of no
 * field only. Not thread-safe.
 *
 * <pre>{@code
 * new HttpDecoderConfig().setHeadersFactory(LineHeaders.FACTORY);
 * }</pre>
 */
public final class LineHeaders extends TextForms {

    /** Makes validating tables. */
    public static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new LineHeaders(12);
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new LineHeaders(2);
        }
    };

    private CharSequence[] names;
    private CharSequence[] values;
    private byte[] fields; // the HeaderFields field of each line's name
    private int present; // the bits of the fields that have a line
    private int size;

    private LineHeaders(int capacity) {
        names = new CharSequence[capacity];
        values = new CharSequence[capacity];
        fields = new byte[capacity];
    }

    /** An empty table with room for {@code lines} lines, for a decoder that fills it with {@link #addDecoded}. */
    public static LineHeaders forLines(int lines) {
        return new LineHeaders(Math.max(lines, 2));
    }

    /**
     * Appends a line that {@link FieldLines} read and checked (a token name, a field-content value) as it is;
     * {@code field} is its name's {@link HeaderFields} field.
     */
    void addDecoded(CharSequence name, CharSequence value, int field) {
        append(name, value, field);
    }

    /** Whether a line of {@link HeaderFields} field {@code field} is here. */
    public boolean has(int field) {
        return (present & HeaderFields.bit(field)) != 0;
    }

    /** The {@link HeaderFields} field of line {@code i}'s name. */
    public int fieldAt(int i) {
        return fields[i];
    }

    /** The first line from {@code from} of field {@code field} (not {@link HeaderFields#OTHER}), or -1. */
    public int indexOf(int field, int from) {
        if ((present & HeaderFields.bit(field)) == 0) {
            return -1;
        }
        for (int i = from; i < size; i++) {
            if (fields[i] == field) {
                return i;
            }
        }
        return -1;
    }

    /** How many lines of field {@code field} (not {@link HeaderFields#OTHER}) there are. */
    public int count(int field) {
        int n = 0;
        for (int i = indexOf(field, 0); i >= 0; i = indexOf(field, i + 1)) {
            n++;
        }
        return n;
    }

    /** The name of line {@code i} (0 to {@link #size()} - 1). */
    public CharSequence nameAt(int i) {
        return names[i];
    }

    /** The value of line {@code i}. */
    public CharSequence valueAt(int i) {
        return values[i];
    }

    /** The first line from {@code from} named {@code name}, whose {@link HeaderFields} field is {@code field}. */
    private int indexOf(CharSequence name, int field, int from) {
        if (field != HeaderFields.OTHER) {
            return indexOf(field, from);
        }
        for (int i = from; i < size; i++) { // a line of a known field has another name
            if (fields[i] == HeaderFields.OTHER
                    && (names[i] == name || AsciiString.contentEqualsIgnoreCase(names[i], name))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, HeaderFields.of(name), 0);
        return i < 0 ? null : values[i].toString();
    }


    @Override
    public List<String> getAll(CharSequence name) {
        int field = HeaderFields.of(name);
        int first = indexOf(name, field, 0);
        if (first < 0) {
            return List.of();
        }
        int next = indexOf(name, field, first + 1);
        if (next < 0) {
            return List.of(values[first].toString());
        }
        List<String> all = new ArrayList<>(4);
        all.add(values[first].toString());
        for (int i = next; i >= 0; i = indexOf(name, field, i + 1)) {
            all.add(values[i].toString());
        }
        return all;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(new AbstractMap.SimpleImmutableEntry<>(names[i].toString(), values[i].toString()));
        }
        return all;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, HeaderFields.of(name), 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        int field = HeaderFields.of(name);
        for (int i = indexOf(name, field, 0); i >= 0; i = indexOf(name, field, i + 1)) {
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(values[i], value)
                    : AsciiString.contentEquals(values[i], value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        int field = HeaderFields.of(name);
        for (int i = indexOf(name, field, 0); i >= 0; i = indexOf(name, field, i + 1)) {
            if (CommaList.contains(values[i], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> all = new LinkedHashSet<>(); // as Netty's: in order, spelled as added
        for (int i = 0; i < size; i++) {
            all.add(names[i].toString());
        }
        return all;
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        validateName(name);
        append(name, value(name, value));
        return this;
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        validateName(name);
        for (Object v : values) {
            append(name, value(name, v));
        }
        return this;
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        validateName(name);
        CharSequence v = value(name, value);
        remove(name);
        append(name, v);
        return this;
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        validateName(name);
        remove(name);
        for (Object v : values) {
            if (v == null) {
                break;
            }
            append(name, value(name, v));
        }
        return this;
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int field = HeaderFields.of(name);
        if (field != HeaderFields.OTHER && !has(field)) {
            return this;
        }
        int kept = 0;
        int left = 0;
        for (int i = 0; i < size; i++) {
            boolean gone = field != HeaderFields.OTHER ? fields[i] == field
                    : fields[i] == HeaderFields.OTHER && AsciiString.contentEqualsIgnoreCase(names[i], name);
            if (!gone) {
                names[kept] = names[i];
                values[kept] = values[i];
                fields[kept++] = fields[i];
                left |= HeaderFields.bit(fields[i]);
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        present = left;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        present = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        LineHeaders copy = new LineHeaders(Math.max(size, 2));
        System.arraycopy(names, 0, copy.names, 0, size);
        System.arraycopy(values, 0, copy.values, 0, size);
        System.arraycopy(fields, 0, copy.fields, 0, size);
        copy.size = size;
        copy.present = present;
        return copy;
    }

    private void append(CharSequence name, CharSequence value) {
        append(name, value, HeaderFields.of(name));
    }

    private void append(CharSequence name, CharSequence value, int field) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
            fields = Arrays.copyOf(fields, size * 2);
        }
        names[size] = name;
        values[size] = value;
        fields[size++] = (byte) field;
        present |= HeaderFields.bit(field);
    }

    private static void validateName(CharSequence name) {
        if (name == null || name.length() == 0) {
            throw new IllegalArgumentException("empty header name");
        }
        int bad = HttpHeaderValidationUtil.validateToken(name);
        if (bad != -1) {
            throw new IllegalArgumentException("header name " + name + ": invalid character at " + bad);
        }
    }

    private static CharSequence value(CharSequence name, Object value) {
        if (value == null) {
            throw new NullPointerException("value of header " + name);
        }
        CharSequence v = value instanceof CharSequence s ? s
                : value instanceof Date d ? DateFormatter.format(d) : value.toString();
        int bad = HttpHeaderValidationUtil.validateValidHeaderValue(v);
        if (bad != -1) {
            throw new IllegalArgumentException("header " + name + ": invalid value character at " + bad);
        }
        return v;
    }
}
