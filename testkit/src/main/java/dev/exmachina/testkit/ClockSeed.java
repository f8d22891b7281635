package dev.exmachina.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The seed (and interleaving) of the {@link VirtualClock} that {@link VirtualClockExtension} hands
 * to a test; on a method it wins over one on the class. Use the seed a failed test printed to
 * replay it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Inherited
public @interface ClockSeed {
    /**
     * The seed of the clock: see {@link VirtualClock.Builder#seed}.
     *
     * @return the seed, such as the one a failed test printed
     */
    long value();

    /**
     * Draw the order of ready threads from the seed: see {@link VirtualClock.Builder#shuffle}.
     *
     * @return {@code true} to shuffle; {@code false}, the default, for first in, first out
     */
    boolean shuffle() default false;
}
