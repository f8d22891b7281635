package dev.exmachina.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Interval strings: {@code "1s"}, {@code "1d4h"}, {@code "0d 0m 10s"}, {@code "1d12h35m59s500ms"}.
 *
 * <p>Units {@code d h m s ms}, in that order, each at most once, optionally separated by spaces;
 * {@code d h m s} may have a decimal fraction, {@code ms} is whole. Parsing is exact to the
 * nanosecond. Stateless and thread-safe.
 */
public final class Intervals {

    /** The units in the order they must appear; {@code ms} is whole, the others may have a fraction. */
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final BigDecimal[] UNIT_NANOS = {
        BigDecimal.valueOf(86_400_000_000_000L), BigDecimal.valueOf(3_600_000_000_000L),
        BigDecimal.valueOf(60_000_000_000L), BigDecimal.valueOf(1_000_000_000L), BigDecimal.valueOf(1_000_000L)
    };
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Intervals() {}

    /**
     * Parses an interval string. Runs in time linear in the length of {@code text}: a single
     * left-to-right scan, no backtracking, whatever the input.
     *
     * @param text the interval, such as {@code "1d12h35m59s500ms"}
     * @return the interval, exact to the nanosecond
     * @throws IllegalArgumentException quoting {@code text} and showing a valid form, when it is
     *     empty, has an unknown unit, a negative number, units out of order or repeated, a fraction
     *     of a millisecond, or a value too large for a {@link Duration} of nanoseconds
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "interval");
        BigDecimal nanos = BigDecimal.ZERO;
        int at = skipSpaces(text, 0);
        int nextUnit = 0; // units before this index were used or skipped: order and uniqueness
        boolean any = false;
        while (at < text.length()) {
            int numberStart = at;
            at = skipDigits(text, at);
            if (at == numberStart) {
                throw invalid(text, "");
            }
            boolean fraction = false;
            if (at < text.length() && text.charAt(at) == '.') {
                int fractionStart = at + 1;
                at = skipDigits(text, fractionStart);
                if (at == fractionStart) {
                    throw invalid(text, "");
                }
                fraction = true;
            }
            String number = text.substring(numberStart, at);
            int unit = unitAt(text, at);
            if (unit < nextUnit || (fraction && unit == 4)) {
                throw invalid(text, ""); // unknown, out of order, repeated, or a fraction of a millisecond
            }
            at += UNITS[unit].length();
            nextUnit = unit + 1;
            any = true;
            nanos = nanos.add(new BigDecimal(number).multiply(UNIT_NANOS[unit]));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw invalid(text, " (too large)");
            }
            at = skipSpaces(text, at);
        }
        if (!any) {
            throw invalid(text, "");
        }
        nanos = nanos.setScale(0, RoundingMode.HALF_UP);
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, " (too large)");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /**
     * Formats a duration the way {@link #parse} reads it, exactly: {@code "130ms"}, {@code "1.5s"},
     * {@code "2m30s"}, {@code "1d12h35m59.5s"}, {@code "0s"}. Whole days, hours and minutes come
     * first; then seconds with a decimal fraction, or whole milliseconds when less than a second
     * is left and it is a whole number of them. {@code parse(format(d))} equals {@code d}.
     *
     * @param duration a duration, not negative
     * @return its interval string
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("an interval is never negative, was " + duration);
        }
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        long[] sizes = {86_400, 3_600, 60};
        for (int unit = 0; unit < sizes.length; unit++) {
            if (seconds >= sizes[unit]) {
                out.append(seconds / sizes[unit]).append(UNITS[unit]);
                seconds %= sizes[unit];
            }
        }
        if (seconds == 0 && nanos == 0) {
            return out.toString();
        }
        if (seconds == 0 && nanos % 1_000_000 == 0) {
            return out.append(nanos / 1_000_000).append("ms").toString();
        }
        out.append(seconds);
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        return out.append('s').toString();
    }

    /** The index in {@link #UNITS} of the unit at {@code at}, or -1; "ms" before "m". */
    private static int unitAt(String text, int at) {
        if (text.startsWith("ms", at)) {
            return 4;
        }
        for (int unit = 0; unit < 4; unit++) {
            if (text.startsWith(UNITS[unit], at)) {
                return unit;
            }
        }
        return -1;
    }

    private static int skipDigits(String text, int at) {
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at;
    }

    private static int skipSpaces(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid interval \"" + text + "\"" + why
                + ": expected units d h m s ms in that order, each at most once, e.g. \"1d12h35m59s500ms\", \"1.5s\" or \"0d 0m 10s\"");
    }
}
