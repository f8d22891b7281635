package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A planted race, run by {@link ExploreSchedulesTest} through JUnit's engine (never by the build
 * itself: its name is no test's, and it runs only when that test asks). One item in stock; an
 * iteration forks two buyers at the same instant. Each checks the stock, pays (1 ms), then takes
 * the item: a check-then-act. The new customer first fetches a price (1 ms), the regular one has
 * it cached. In first-in, first-out order the regular one, due first after paying, always takes
 * the item before the new customer checks; in some other orders of the threads due at +1 ms, both
 * see it in stock and the shop sells two.
 */
@ExtendWith({VirtualClockExtension.class, OversellingShop.OnlyWhenAsked.class})
class OversellingShop {

    /** The configuration parameter that lets this class run. */
    static final String ASKED = "exmachina.plantedRace";

    /** Runs the shop on {@code clock}; returns how many items were sold from a stock of one. */
    static int sold(VirtualClock clock, Timeline timeline) throws Exception {
        var bot = Machina.builder().clock(clock).listener(timeline).build();
        var stock = new AtomicInteger(1);
        var sold = new AtomicInteger();
        Set<String> regulars = Set.of("regular");
        Execute<String, Boolean> buy = bot.execute("buy", ExecuteOptions.defaults(), customer -> {
            if (!regulars.contains(customer)) {
                clock.sleep(Duration.ofMillis(1)); // fetch the price
            }
            if (stock.get() <= 0) {               // check
                return false;
            }
            clock.sleep(Duration.ofMillis(1));    // pay
            stock.decrementAndGet();              // act
            sold.incrementAndGet();
            return true;
        });
        bot.emit("open", EmitOptions.every("1s").count(1), event -> {
            var a = event.execute(buy, "regular");
            var b = event.execute(buy, "new");
            a.join();
            b.join();
        });
        bot.run();
        return sold.get();
    }

    @Test
    void oneRun(VirtualClock clock, Timeline timeline) throws Exception {
        assertEquals(1, sold(clock, timeline), "items sold from a stock of one");
    }

    @ExploreSchedules(1000)
    void explored(VirtualClock clock, Timeline timeline) throws Exception {
        assertEquals(1, sold(clock, timeline), "items sold from a stock of one");
    }

    /** A passing test under a budget far too short for its seeds: the budget ends the exploration. */
    @ExploreSchedules(value = 1_000_000, budget = "1ms")
    void withinABudget(VirtualClock clock, Timeline timeline) throws Exception {
        assertTrue(sold(clock, timeline) >= 1);
    }

    /** A seed given beside the exploration: that seed alone runs. */
    @ExploreSchedules(1000)
    @ClockSeed(value = 42L, shuffle = true)
    void replayOfOneSeed(VirtualClock clock) {
        assertEquals(42L, clock.seed());
    }

    /** Disables the class unless the launcher sets {@link #ASKED}. */
    static final class OnlyWhenAsked implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ASKED).isPresent()
                    ? ConditionEvaluationResult.enabled("launched by ExploreSchedulesTest")
                    : ConditionEvaluationResult.disabled("a planted race, run only by ExploreSchedulesTest");
        }
    }
}
