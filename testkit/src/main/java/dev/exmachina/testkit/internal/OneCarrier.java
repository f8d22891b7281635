package dev.exmachina.testkit.internal;

/**
 * Asks the JDK for one carrier thread for virtual threads, unless the JVM was told otherwise.
 *
 * <p>Why: on a virtual clock exactly one bot thread runs at a time, and every step hands the baton
 * from one virtual thread to another. With several carriers each hand-over may wake another
 * carrier (an OS thread) to run the next thread while the current one is still unmounting; with
 * one, the next thread runs on the same carrier as soon as the current one parks. A virtual day
 * runs about 1.5 times faster so.
 *
 * <p>The JDK reads {@code jdk.virtualThreadScheduler.parallelism} once, when the first virtual
 * thread of the JVM is made; {@code VirtualClock} calls {@link #arrange()} as it loads, which in a
 * test JVM comes before any bot thread. A value set on the command line (any value) wins; so does
 * a scheduler the JVM has already made. Blocking that pins a carrier is still compensated by the
 * JDK (its pool may grow to {@code jdk.virtualThreadScheduler.maxPoolSize}).
 */
public final class OneCarrier {

    /** The JDK's system property for the number of carrier threads. */
    public static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private OneCarrier() {}

    /** Sets {@link #PARALLELISM} to 1 if it is not set. */
    public static void arrange() {
        try {
            if (System.getProperty(PARALLELISM) == null) {
                System.setProperty(PARALLELISM, "1");
            }
        } catch (SecurityException refused) {
            // a security manager that refuses leaves the JDK's default: slower, never wrong
        }
    }
}
