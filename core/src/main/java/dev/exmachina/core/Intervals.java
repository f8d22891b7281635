package dev.exmachina.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interval strings: {@code "1s"}, {@code "1d4h"}, {@code "0d 0m 10s"}, {@code "1d12h35m59s500ms"}.
 *
 * <p>Units {@code d h m s ms}, in that order, each at most once, optionally separated by spaces;
 * {@code d h m s} may have a decimal fraction, {@code ms} is whole. Parsing is exact to the
 * nanosecond. Stateless and thread-safe.
 */
public final class Intervals {

    private static final Pattern FORM = Pattern.compile(
            "\\s*(?:(\\d+(?:\\.\\d+)?)d)?\\s*(?:(\\d+(?:\\.\\d+)?)h)?\\s*(?:(\\d+(?:\\.\\d+)?)m(?!s))?"
                    + "\\s*(?:(\\d+(?:\\.\\d+)?)s)?\\s*(?:(\\d+)ms)?\\s*");
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Intervals() {}

    /**
     * Parses an interval string.
     *
     * @throws IllegalArgumentException quoting {@code text} and showing a valid form, when it is
     *     empty, has an unknown unit, a negative number, units out of order or repeated, a fraction
     *     of a millisecond, or a value too large for a {@link Duration} of nanoseconds
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "interval");
        Matcher m = FORM.matcher(text);
        if (text.isBlank() || !m.matches()) {
            throw invalid(text, "");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            String value = m.group(unit + 1);
            if (value != null) {
                nanos = nanos.add(new BigDecimal(value).multiply(BigDecimal.valueOf(UNIT_SECONDS[unit]))
                        .multiply(NANOS_PER_SECOND));
            }
        }
        String millis = m.group(5);
        if (millis != null) {
            nanos = nanos.add(new BigDecimal(millis).multiply(BigDecimal.valueOf(1_000_000L)));
        }
        nanos = nanos.setScale(0, RoundingMode.HALF_UP);
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, " (too large)");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid interval \"" + text + "\"" + why
                + ": expected units d h m s ms in that order, each at most once, e.g. \"1d12h35m59s500ms\", \"1.5s\" or \"0d 0m 10s\"");
    }
}
