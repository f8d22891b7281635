package dev.exmachina.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a Structured Field List (RFC 8941, section 4.2.1) of items with parameters, as the
 * {@code RateLimit} and {@code RateLimit-Policy} fields are. Inner lists are refused (neither field
 * has them). Values: {@link Long} (integer), {@link Double} (decimal), {@link String} (string),
 * {@link Token}, {@link Bytes} (byte sequence, kept as its base64 text), {@link Boolean}.
 * Stateless apart from one parse's position; one instance per parse.
 */
public final class StructuredList {
    /** An item: its bare value and its parameters, in order. */
    public record Item(Object value, Map<String, Object> parameters) {}

    /** A token, such as {@code default} unquoted. */
    public record Token(String text) {}

    /** A byte sequence, as its base64 text between the colons. */
    public record Bytes(String base64) {}

    private final String in;
    private int pos;

    private StructuredList(String in) {
        this.in = in;
    }

    /**
     * Parses {@code value}.
     *
     * @param value one field value, or several field lines joined with {@code ", "}
     * @return the items, in order
     * @throws IllegalArgumentException naming what is wrong and where, if {@code value} is not a list
     */
    public static List<Item> parse(String value) {
        return new StructuredList(value).list();
    }

    private List<Item> list() {
        var items = new ArrayList<Item>();
        skip(' ');
        if (pos == in.length()) throw error("an empty list");
        while (true) {
            if (peek() == '(') throw error("an inner list");
            items.add(item());
            skipOws();
            if (pos == in.length()) return items;
            if (in.charAt(pos) != ',') throw error("'" + in.charAt(pos) + "' where ',' or the end was expected");
            pos++;
            skipOws();
            if (pos == in.length()) throw error("a trailing ','");
        }
    }

    private Item item() {
        Object value = bareItem();
        var parameters = new LinkedHashMap<String, Object>();
        while (peek() == ';') {
            pos++;
            skip(' ');
            String key = key();
            Object v = Boolean.TRUE;
            if (peek() == '=') {
                pos++;
                v = bareItem();
            }
            parameters.put(key, v);
        }
        return new Item(value, parameters);
    }

    private Object bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        if (c == '"') return string();
        if (c == ':') return bytes();
        if (c == '?') return bool();
        if (c == '*' || Character.isLetter(c)) return token();
        throw error(c == 0 ? "the end where a value was expected" : "'" + c + "' where a value was expected");
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        while (Character.isDigit(peek()) || peek() == '.') pos++;
        String text = in.substring(start, pos);
        try {
            if (text.contains(".")) return Double.parseDouble(text);
            if (text.length() > 16) throw error("an integer of more than 15 digits");
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error("\"" + text + "\", not a number");
        }
    }

    private String string() {
        pos++;
        var sb = new StringBuilder();
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\\' && pos < in.length()) c = in.charAt(pos++);
            sb.append(c);
        }
        throw error("a string without its closing '\"'");
    }

    private Bytes bytes() {
        int end = in.indexOf(':', pos + 1);
        if (end < 0) throw error("a byte sequence without its closing ':'");
        var b = new Bytes(in.substring(pos + 1, end));
        pos = end + 1;
        return b;
    }

    private Boolean bool() {
        pos++;
        char c = peek();
        if (c != '0' && c != '1') throw error("a boolean other than ?0 or ?1");
        pos++;
        return c == '1';
    }

    private Token token() {
        int start = pos;
        while (pos < in.length() && "!#$%&'*+-.^_`|~:/".indexOf(in.charAt(pos)) >= 0
                || pos < in.length() && Character.isLetterOrDigit(in.charAt(pos))) {
            pos++;
        }
        return new Token(in.substring(start, pos));
    }

    private String key() {
        int start = pos;
        while (pos < in.length() && (Character.isLowerCase(in.charAt(pos)) || Character.isDigit(in.charAt(pos))
                || "_-.*".indexOf(in.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) throw error("a parameter without a key (keys are lowercase)");
        return in.substring(start, pos);
    }

    private char peek() {
        return pos < in.length() ? in.charAt(pos) : 0;
    }

    private void skip(char c) {
        while (pos < in.length() && in.charAt(pos) == c) pos++;
    }

    private void skipOws() {
        while (pos < in.length() && (in.charAt(pos) == ' ' || in.charAt(pos) == '\t')) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + (pos + 1));
    }
}
