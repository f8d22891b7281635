package dev.exmachina.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per seed, up to {@link #value()} seeds, each with a fresh shuffled
 * {@link VirtualClock}, so each run draws its own order for the threads ready at the same instant;
 * the first failing seed ends the exploration. Use it in place of {@code @Test}, on a test that
 * takes a {@code VirtualClock} parameter:
 *
 * <pre>{@code
 * @ExploreSchedules(1000)
 * void twoBuyersNeverOversell(VirtualClock clock) throws Exception { ... }
 * }</pre>
 *
 * <p>Each seed is one test invocation, named by its seed, with its own {@code @BeforeEach} and
 * {@code @AfterEach}. The seeds are spread over all longs (not 1, 2, 3…), and the same every run,
 * so an exploration is reproducible. A failure says its seed and the one line that replays it
 * alone: {@code @ClockSeed(value = <seed>L, shuffle = true)} beside this annotation (the
 * exploration then runs that seed only).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
@TestTemplate
@ExtendWith(VirtualClockExtension.class)
public @interface ExploreSchedules {
    /**
     * How many seeds to try at most.
     *
     * @return the number of seeds, at least 1
     */
    int value();

    /**
     * Real time after which no new seed is started, as an interval string such as {@code "30s"}
     * (see {@link dev.exmachina.core.Intervals#parse}); empty, the default, for no bound. The seed
     * running then finishes; how many seeds ran is reported.
     *
     * @return the real-time budget, or empty
     */
    String budget() default "";
}
