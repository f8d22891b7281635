package dev.exmachina.http;

import java.net.http.HttpHeaders;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3) as the instant it names: either
 * delay-seconds ({@code Retry-After: 120}, counted from the instant given) or an HTTP-date
 * ({@code Retry-After: Wed, 21 Oct 2015 07:28:00 GMT}, in any of the three forms a recipient must
 * accept: IMF-fixdate, the obsolete RFC 850 form and ANSI C's asctime form). A date in the past
 * means now. Anything else (a negative or fractional number, a date in another format, text) is
 * malformed: empty, never an exception.
 */
public final class RetryAfter {
    /** The header's name. */
    public static final String HEADER = "Retry-After";

    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year is read as 1970..2069.
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    // asctime: "Sun Nov  6 08:49:37 1994" (the day is space-padded).
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {}

    /**
     * The instant a {@code Retry-After} value names.
     *
     * @param value the header's value, such as {@code "120"} or {@code "Wed, 21 Oct 2015 07:28:00 GMT"}
     * @param now the instant the response came, which delay-seconds count from (the bot clock's now)
     * @return the instant, not before {@code now}; empty if the value is malformed
     */
    public static Optional<Instant> parse(String value, Instant now) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(now, "now");
        String v = value.strip();
        if (v.isEmpty()) return Optional.empty();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(now.plusSeconds(Long.parseLong(v)));
            } catch (NumberFormatException | DateTimeException | ArithmeticException tooLarge) {
                return Optional.empty();
            }
        }
        for (DateTimeFormatter f : List.of(DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME)) {
            try {
                Instant at = ZonedDateTime.parse(v, f).toInstant();
                return Optional.of(at.isBefore(now) ? now : at);
            } catch (DateTimeParseException notThisForm) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /**
     * The instant the first {@code Retry-After} header of a response names.
     *
     * @param headers the response's headers
     * @param now the instant the response came (the bot clock's now)
     * @return the instant, not before {@code now}; empty if the header is absent or malformed
     */
    public static Optional<Instant> from(HttpHeaders headers, Instant now) {
        return headers.firstValue(HEADER).flatMap(v -> parse(v, now));
    }
}
