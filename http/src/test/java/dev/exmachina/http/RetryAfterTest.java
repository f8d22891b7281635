package dev.exmachina.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} in both forms (RFC 9110, 10.2.3), against a given now; malformed ones are empty. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2015-10-21T07:20:00Z");

    @Test
    void delaySecondsCountFromTheGivenNow() {
        assertEquals(Optional.of(NOW.plusSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(NOW), RetryAfter.parse("0", NOW));
        assertEquals(Optional.of(NOW.plusSeconds(1)), RetryAfter.parse(" 1 ", NOW));
    }

    @Test
    void anImfFixdateNamesItsInstant() {
        assertEquals(Optional.of(Instant.parse("2015-10-21T07:28:00Z")),
                RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
    }

    @Test
    void theObsoleteDateFormsAreAcceptedAsRecipientsMust() {
        Instant later = Instant.parse("2015-11-06T08:49:37Z");
        assertEquals(Optional.of(later), RetryAfter.parse("Friday, 06-Nov-15 08:49:37 GMT", NOW));
        assertEquals(Optional.of(later), RetryAfter.parse("Fri Nov  6 08:49:37 2015", NOW));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertEquals(Optional.of(NOW), RetryAfter.parse("Fri, 31 Dec 1999 23:59:59 GMT", NOW));
    }

    @Test
    void malformedValuesAreEmptyNeverAnException() {
        for (String bad : List.of("", "  ", "-1", "1.5", "soon", "120s", "2015-10-21T07:28:00Z",
                "Wed, 21 Oct 2015 07:28:00", "99999999999999999999", "9223372036854775807")) {
            assertEquals(Optional.empty(), RetryAfter.parse(bad, NOW), bad);
        }
    }

    @Test
    void fromHeadersReadsTheFirstValueCaseInsensitively() {
        var headers = HttpHeaders.of(Map.of("retry-after", List.of("30")), (n, v) -> true);
        assertEquals(Optional.of(NOW.plusSeconds(30)), RetryAfter.from(headers, NOW));
        assertEquals(Optional.empty(), RetryAfter.from(HttpHeaders.of(Map.of(), (n, v) -> true), NOW));
    }
}
