package dev.switchboard.netty.internal.upstream;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The forms of {@link HttpHeaders}' methods that only restate others: {@code String} names, numbers and dates, in
 * terms of the {@code CharSequence} methods a table implements ({@link LineHeaders}). A number or date that does
 * not parse reads as absent, as in Netty's tables.
 */
abstract class TextForms extends HttpHeaders {

    @Override
    public String get(String name) {
        return get((CharSequence) name);
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

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public boolean contains(String name) {
        return contains((CharSequence) name);
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
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
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
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
}
