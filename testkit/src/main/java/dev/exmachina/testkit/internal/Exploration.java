package dev.exmachina.testkit.internal;

import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The seeds of one exploration and when it stops: after {@code count} seeds, at the first failing
 * one, or once the real-time budget is spent (the seed running then finishes).
 *
 * <p><b>Concurrency.</b> {@link #seeds()} is consumed by one thread; {@link #failed} may be called
 * from another (a test's thread): the failing seed is published through a volatile field, and the
 * stream reads it before it starts each seed.
 */
public final class Exploration {

    /** The increment of the golden-ratio sequence that spreads the seeds over all longs. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int count;
    private final @Nullable Duration budget;
    private volatile @Nullable Long failedSeed;
    private volatile int started;
    private long startNanos;

    /**
     * @param count how many seeds at most, at least 1
     * @param budget the real time after which no seed starts, or null for none
     */
    public Exploration(int count, @Nullable Duration budget) {
        if (count < 1) {
            throw new IllegalArgumentException("an exploration needs at least 1 seed, was " + count
                    + ": use @ExploreSchedules(1000) or so, or @Test for a single run");
        }
        this.count = count;
        this.budget = budget;
    }

    /**
     * The {@code index}-th seed of every exploration: far apart, so that neighbouring seeds do not
     * draw alike (SplitMix64's mix of a golden-ratio sequence).
     */
    public static long seed(int index) {
        long z = (index + 1L) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seeds to run, lazily: each is taken only if no earlier one failed and the budget allows. */
    public Stream<Long> seeds() {
        startNanos = System.nanoTime();
        return IntStream.range(0, count)
                .takeWhile(i -> failedSeed == null && (i == 0 || !budgetSpent()))
                .peek(i -> started = i + 1)
                .mapToObj(Exploration::seed);
    }

    private boolean budgetSpent() {
        Duration b = budget;
        return b != null && System.nanoTime() - startNanos >= b.toNanos();
    }

    /** Records that {@code seed} failed: no further seed starts. */
    public void failed(long seed) {
        if (failedSeed == null) {
            failedSeed = seed;
        }
    }

    /** One line on how the exploration went, for the test report. */
    public String summary() {
        Long failed = failedSeed;
        if (failed != null) {
            return "seed " + failed + " failed, the " + started + ordinal(started) + " of " + count
                    + " explored; replay it alone with @ClockSeed(value = " + failed + "L, shuffle = true)";
        }
        if (started < count) {
            return started + " of " + count + " seeds explored, none failed; the budget of " + budget
                    + " ended the exploration";
        }
        return count + " seeds explored, none failed";
    }

    private static String ordinal(int n) {
        int mod100 = n % 100;
        if (mod100 >= 11 && mod100 <= 13) {
            return "th";
        }
        return switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }
}
