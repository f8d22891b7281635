package dev.exmachina.http.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration as Go's {@code time.Duration.String()} writes it, the form LLM APIs use in
 * {@code x-ratelimit-reset-requests}/{@code -tokens}: {@code "1s"}, {@code "6m0s"}, {@code "20ms"},
 * {@code "1h2m3.5s"}, {@code "0s"}. Units {@code h m s ms us µs ns}, each part a decimal number.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    /**
     * Parses {@code text}.
     *
     * @param text such as {@code "6m0s"}
     * @return the duration
     * @throws IllegalArgumentException if {@code text} is not such a duration, is negative, or is too long
     */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("an empty duration");
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            end = m.end();
            m.region(end, s.length());
        }
        if (end != s.length()) {
            throw new IllegalArgumentException("not a duration such as 1s, 6m0s or 20ms");
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a duration longer than 292 years");
        }
    }
}
