package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A breaker's settings are checked when it is built, each bad value named in the message; a breaker is
 * registered with one bot, and never asked twice by one execute, leaving nothing half-registered.
 */
class CircuitBreakerConfigTest {

    private static void refused(Executable build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void badSettingsAreRefusedWhenBuiltNamingTheValue() {
        refused(() -> CircuitBreaker.builder(" ").build(), "name must not be blank", "\" \"");
        refused(() -> CircuitBreaker.builder("a").countWindow(0).build(), "size was 0");
        refused(() -> CircuitBreaker.builder("a").timeWindow(Duration.ofNanos(5)).build(), "PT0.000000005S");
        refused(() -> CircuitBreaker.builder("a").minimumCalls(0).build(), "minimumCalls must be >= 1, was 0");
        refused(() -> CircuitBreaker.builder("a").countWindow(5).minimumCalls(6).build(),
                "minimumCalls must be <= the window's size (5)", "was 6");
        refused(() -> CircuitBreaker.builder("a").failureRate(0).build(), "failureRate", "1 to 100, was 0");
        refused(() -> CircuitBreaker.builder("a").failureRate(101).build(), "failureRate", "was 101");
        refused(() -> CircuitBreaker.builder("a").slowCalls(Duration.ZERO, 50).build(), "slowCall must be > 0, was PT0S");
        refused(() -> CircuitBreaker.builder("a").slowCalls(Duration.ofSeconds(1), 0).build(), "slowCallRate", "was 0");
        refused(() -> CircuitBreaker.builder("a").openWait(Duration.ofSeconds(-1), Duration.ofSeconds(1)).build(),
                "openWait must be > 0, was PT-1S");
        refused(() -> CircuitBreaker.builder("a").openWait(Duration.ofSeconds(10), Duration.ofSeconds(5)).build(),
                "maxOpenWait must be >= openWait (PT10S), was PT5S");
        refused(() -> CircuitBreaker.builder("a").halfOpen(0, Duration.ofSeconds(1)).build(), "halfOpenProbes must be >= 1, was 0");
        refused(() -> CircuitBreaker.builder("a").halfOpen(1, Duration.ZERO).build(), "maxHalfOpen must be > 0, was PT0S");
        assertThrows(NullPointerException.class, () -> CircuitBreaker.builder("a").rules((CircuitBreakerRule<?>) null).build());
    }

    @Test
    void settersMayComeInAnyOrder() {
        var breaker = CircuitBreaker.builder("a").minimumCalls(5).countWindow(5).build();
        assertEquals(new CircuitBreakerConfig.SlidingWindow.Calls(5), breaker.config().window());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(CircuitBreakerConfig.defaults(), CircuitBreaker.builder("b").build().config());
    }

    @Test
    void aBreakerBelongsToTheFirstBotThatRegistersIt() {
        var breaker = CircuitBreaker.builder("api").build();
        var first = Machina.builder().name("first").build();
        var second = Machina.builder().name("second").build();
        first.concurrentGroup("api", GroupLimits.concurrency(1).circuitBreaker(breaker));
        first.execute("own", ExecuteOptions.defaults().circuitBreaker(breaker), x -> x); // same bot: fine

        refused(() -> second.concurrentGroup("api", GroupLimits.concurrency(1).circuitBreaker(breaker)),
                "circuit breaker 'api' belongs to bot 'first'", "build another breaker for bot 'second'");
        refused(() -> second.execute("x", ExecuteOptions.defaults().circuitBreaker(breaker), x -> x), "belongs to bot 'first'");
        // nothing half-registered: the names are free
        second.concurrentGroup("api", GroupLimits.concurrency(1));
        second.execute("x", ExecuteOptions.defaults(), x -> x);
    }

    @Test
    void anExecuteNeverAsksOneBreakerTwice() {
        var breaker = CircuitBreaker.builder("api").build();
        var bot = Machina.builder().build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1).circuitBreaker(breaker));
        refused(() -> bot.execute("x", ExecuteOptions.groups("api").circuitBreaker(breaker), x -> x),
                "execute 'x' would ask circuit breaker 'api' twice", "its own and group 'api''s");
        bot.execute("x", ExecuteOptions.groups("api"), x -> x); // the name was left free
    }

    @Test
    void aBreakerNotMadeByTheBuilderIsRefused() {
        CircuitBreaker own = new CircuitBreaker() {
            @Override
            public String name() {
                return "mine";
            }

            @Override
            public CircuitBreakerConfig config() {
                return CircuitBreakerConfig.defaults();
            }

            @Override
            public State state() {
                return State.CLOSED;
            }
        };
        refused(() -> Machina.builder().build().execute("x", ExecuteOptions.defaults().circuitBreaker(own), x -> x),
                "was not made by CircuitBreaker.builder(name)");
    }

    @Test
    void rulesAreAskedInOrderAndAFailureNoRuleMatchesIsASuccess() {
        var rules = List.<CircuitBreakerRule<?>>of(
                CircuitBreakerRule.ignores(IllegalStateException.class).filter(e -> e.getMessage().equals("429")),
                CircuitBreakerRule.counts(RuntimeException.class));
        var breaker = CircuitBreaker.builder("api").rules(rules.toArray(CircuitBreakerRule<?>[]::new)).build();
        assertEquals(rules, breaker.config().rules());
        assertTrue(rules.get(0).matches(new IllegalStateException("429")));
        assertTrue(!rules.get(0).matches(new IllegalStateException("500")));
        assertTrue(rules.get(1).matches(new IllegalStateException("500")));
        assertTrue(!rules.get(1).matches(new java.io.IOException("io")));
    }
}
