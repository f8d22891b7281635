package dev.exmachina.core.internal.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitBreakerRule;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** How a breaker counts an attempt's failure: its rules in order, cancels and the call's deadline never. */
class VerdictTest {

    @Test
    void withoutRulesEveryFailureCountsButCancelsAndTheCallsDeadline() {
        var breaker = (BreakerImpl) CircuitBreaker.builder("api").build();
        assertEquals(BreakerImpl.Verdict.SUCCESS, breaker.verdict(null));
        assertEquals(BreakerImpl.Verdict.FAILURE, breaker.verdict(new IOException()));
        assertEquals(BreakerImpl.Verdict.FAILURE, breaker.verdict(new OutOfMemoryError()));
        assertEquals(BreakerImpl.Verdict.NOT_COUNTED, breaker.verdict(new InterruptedException()));
        assertEquals(BreakerImpl.Verdict.NOT_COUNTED, breaker.verdict(new CancellationException()));
        assertEquals(BreakerImpl.Verdict.NOT_COUNTED,
                breaker.verdict(new CallTimeoutException("x", 1, Duration.ofSeconds(1), "late", null)));
    }

    @Test
    void theFirstMatchingRuleDecidesAndNoMatchIsASuccess() {
        var breaker = (BreakerImpl) CircuitBreaker.builder("api").rules(
                CircuitBreakerRule.ignores(IOException.class).filter(e -> "429".equals(e.getMessage())),
                CircuitBreakerRule.counts(IOException.class)).build();
        assertEquals(BreakerImpl.Verdict.NOT_COUNTED, breaker.verdict(new IOException("429")));
        assertEquals(BreakerImpl.Verdict.FAILURE, breaker.verdict(new IOException("503")));
        assertEquals(BreakerImpl.Verdict.SUCCESS, breaker.verdict(new IllegalArgumentException("404")),
                "the API answered: the caller's request was at fault");
    }
}
