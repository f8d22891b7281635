package dev.exmachina.spring;

import dev.exmachina.core.EmitMode;
import dev.exmachina.core.Schedule;
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
 * <p>When it runs: {@link #every()} (a fixed delay, or a fixed rate with {@link #mode()}), or
 * {@link #cron()} in a {@link #zone()} ({@code @Emit(name = "open", cron = "0 9 * * MON-FRI", zone =
 * "America/New_York")}).
 *
 * <p>The method takes one {@link dev.exmachina.core.Event} or nothing; it may throw anything (the
 * emit's supervision decides what a failure does: by default the bot stops and the failure is
 * logged). What the annotation says is checked when the context starts: a bad interval, cron
 * expression or zone, both {@code every} and {@code cron}, a negative count, a second emit of the same
 * name or a method with other parameters fails the start with a message naming the bean and the
 * method.
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
     * A cron expression instead of {@link #every()}: the iterations run at the instants it names on
     * the wall clock of {@link #zone()}, such as {@code "0 9 * * MON-FRI"} (weekdays at 09:00). Five
     * fields ({@code minute hour day-of-month month day-of-week}), six (a second first) or a macro such
     * as {@code "@daily"}; see {@link dev.exmachina.core.Schedule.Cron} for the syntax and the
     * daylight-saving rule.
     *
     * @return the expression; empty (the default) for an emit on {@link #every()}
     */
    String cron() default "";

    /**
     * The time zone whose wall clock {@link #cron()} reads, such as {@code "Europe/Paris"}.
     *
     * @return the zone's id; empty (the default) for the JVM's default zone, as Spring's
     *     {@code @Scheduled} does
     */
    String zone() default "";

    /**
     * What an iteration of a {@link #cron()} or fixed-rate ({@link EmitMode#ENTIRE}) emit does when it
     * begins late: run once at once, or wait for the next scheduled instant. Never a burst.
     *
     * @return {@link dev.exmachina.core.Schedule.Misfire#RUN_ONCE} (the default) or
     *     {@link dev.exmachina.core.Schedule.Misfire#SKIP}
     */
    Schedule.Misfire misfire() default Schedule.Misfire.RUN_ONCE;

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
