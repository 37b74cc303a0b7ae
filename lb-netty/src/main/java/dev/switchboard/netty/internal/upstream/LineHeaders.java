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
import java.util.function.Function;

/**
 * A header table for the heads the proxy decodes: the lines in their order in two arrays (names and values as the
 * decoder made them), looked up by a scan. A head carries some ten lines and is read a few times, so a scan over
 * one array beats Netty's hash table, which costs a bucket array, an entry object per line and a hash per lookup.
 * Names are compared ignoring ASCII case; {@link #containsValue} splits on commas as Netty's tables do. Every name
 * and value added is validated as {@code DefaultHttpHeadersFactory.headersFactory().withValidation(true)} does (a
 * token name, no control character but HTAB in a value), so the decoders refuse what they refused before.
 * {@link #nameAt}/{@link #valueAt} let a head be copied out without an iterator. Not thread-safe.
 *
 * <pre>{@code
 * new HttpDecoderConfig().setHeadersFactory(LineHeaders.FACTORY);
 * }</pre>
 */
public final class LineHeaders extends HttpHeaders {

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
    private int size;

    private LineHeaders(int capacity) {
        names = new CharSequence[capacity];
        values = new CharSequence[capacity];
    }

    /** An empty table with room for {@code lines} lines, for a decoder that fills it with {@link #addDecoded}. */
    public static LineHeaders forLines(int lines) {
        return new LineHeaders(Math.max(lines, 2));
    }

    /** Appends a line that {@link FieldLines} read and checked (a token name, a field-content value) as it is. */
    void addDecoded(CharSequence name, CharSequence value) {
        append(name, value);
    }

    /** The name of line {@code i} (0 to {@link #size()} - 1). */
    public CharSequence nameAt(int i) {
        return names[i];
    }

    /** The value of line {@code i}. */
    public CharSequence valueAt(int i) {
        return values[i];
    }

    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < size; i++) {
            if (names[i] == name || AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i].toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parse(name, Integer::parseInt, null);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return parse(name, Integer::parseInt, defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return parse(name, Short::parseShort, null);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return parse(name, Short::parseShort, defaultValue);
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        return parse(name, this::millis, null);
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return parse(name, this::millis, defaultValue);
    }

    private Long millis(String value) {
        Date date = DateFormatter.parseHttpDate(value);
        return date == null ? null : date.getTime();
    }

    /** The first value parsed, or {@code otherwise} when there is none or it does not parse. */
    private <T> T parse(CharSequence name, Function<String, T> parser, T otherwise) {
        String v = get(name);
        try {
            T parsed = v == null ? null : parser.apply(v.trim());
            return parsed == null ? otherwise : parsed;
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return List.of();
        }
        int next = indexOf(name, first + 1);
        if (next < 0) {
            return List.of(values[first].toString());
        }
        List<String> all = new ArrayList<>(4);
        all.add(values[first].toString());
        for (int i = next; i >= 0; i = indexOf(name, i + 1)) {
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
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(values[i], value)
                    : AsciiString.contentEquals(values[i], value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (CommaList.contains(values[i], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
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
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        validateName(name);
        append(name, value(name, value));
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
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
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
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
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
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
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                names[kept] = names[i];
                values[kept++] = values[i];
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        LineHeaders copy = new LineHeaders(Math.max(size, 2));
        System.arraycopy(names, 0, copy.names, 0, size);
        System.arraycopy(values, 0, copy.values, 0, size);
        copy.size = size;
        return copy;
    }

    private void append(CharSequence name, CharSequence value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
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
