package dev.exmachina.spring;

import dev.exmachina.core.EmitMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method an emit of the application's bot: a supervised loop that calls it once per
 * iteration, on a virtual thread of its own, as {@link dev.exmachina.core.Machina#emit} does.
 *
 * <pre>{@code
 * @Component
 * class Prices {
 *     @Emit(name = "prices", every = "1s")
 *     void poll(Event event) { ... }
 * }
 * }</pre>
 *
 * <p>The method takes one {@link dev.exmachina.core.Event} or nothing; it may throw anything (the
 * emit's supervision decides what a failure does: by default the bot stops and the failure is
 * logged). What the annotation says is checked when the context starts: a bad interval, a negative
 * count, a second emit of the same name or a method with other parameters fails the start with a
 * message naming the bean and the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Emit {

    /**
     * The emit's name, unique among the bot's emits; {@code event.start(name)} and the Actuator
     * endpoint use it.
     *
     * @return the name; empty (the default) for the method's name
     */
    String name() default "";

    /**
     * The wait between iterations, as an interval string ({@code "1s"}, {@code "1d4h"},
     * {@code "0.5s"}; see {@link dev.exmachina.core.Intervals#parse}).
     *
     * @return the interval; empty (the default) for no wait
     */
    String every() default "";

    /**
     * How {@link #every()} is measured: after each iteration ends (fixed delay, the default) or from
     * its start (fixed rate).
     *
     * @return the mode
     */
    EmitMode mode() default EmitMode.AFTER;

    /**
     * Iterations per run of the emit.
     *
     * @return the count, at least 0; -1 (the default) for forever
     */
    long count() default -1;

    /**
     * Whether the bot starts this emit when it starts. An emit starts only if this and the property
     * {@code exmachina.emits.autostart} both say so; otherwise a handler starts it with
     * {@code event.start(name)}.
     *
     * @return true (the default) to start it with the bot
     */
    boolean autostart() default true;

    /**
     * What a failure of the method does.
     *
     * @return {@link OnFailure#STOP_BOT} (the default) to stop the bot, or
     *     {@link OnFailure#LOG_AND_CONTINUE} to log it and go on with the next iteration
     */
    OnFailure onFailure() default OnFailure.STOP_BOT;

    /**
     * Whether one process of a fleet runs the emit at a time, under a lease shared through Redis
     * (module {@code exmachina-redis}, a Jedis client bean, {@code exmachina.redis.enabled}). Without
     * shared leases the emit runs as an ordinary one, and a warning says so when the context starts.
     *
     * @return true for a singleton emit; false (the default) for an emit of every process
     */
    boolean singleton() default false;

    /** What a failure of an annotated emit does (see {@link dev.exmachina.core.Supervision}). */
    enum OnFailure {
        /** The bot stops; the failure is logged at ERROR and shown by the Actuator endpoint. */
        STOP_BOT,
        /** The failure is logged at ERROR and the next iteration runs after the usual interval. */
        LOG_AND_CONTINUE
    }
}
