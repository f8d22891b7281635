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
    long value();

    /** Draw the order of ready threads from the seed: see {@link VirtualClock.Builder#shuffle}. */
    boolean shuffle() default false;
}
