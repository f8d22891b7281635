@file:JvmName("Durations")

package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import dev.exmachina.core.CircuitBreaker
import dev.exmachina.core.EmitOptions
import dev.exmachina.core.Event
import dev.exmachina.core.ExecuteOptions
import dev.exmachina.core.GroupLimits
import dev.exmachina.core.Intervals
import dev.exmachina.core.Machina
import dev.exmachina.core.Schedule
import dev.exmachina.retry.RetryRule
import kotlin.time.Duration
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

// The kotlin.time.Duration twin of every method of the library that takes a java.time.Duration or
// an interval string. Each converts and calls its Java original, so limits, messages and checks
// stay in one place: a bad value (negative, too long) fails with the Java method's message.

/**
 * [EmitOptions.every] with a [Duration]: the defaults with an interval.
 *
 * @param interval the wait between iterations
 * @return the default options with that interval
 * @throws IllegalArgumentException if [interval] is negative or longer than [EmitOptions.MAX_INTERVAL]
 */
public fun every(interval: Duration): EmitOptions = EmitOptions.every(interval.toJavaDuration())

/**
 * [EmitOptions.interval] with a [Duration]: a copy that waits [interval] between iterations.
 *
 * @param interval the wait between iterations ([Duration.ZERO]: none)
 * @return a copy with that interval
 * @throws IllegalArgumentException if [interval] is negative or longer than [EmitOptions.MAX_INTERVAL]
 */
public fun EmitOptions.interval(interval: Duration): EmitOptions = interval(interval.toJavaDuration())

/**
 * [GroupLimits.perWindow] with a [Duration]: a copy where at most [calls] attempts start in any
 * interval of length [window].
 *
 * @param calls attempts that may start in any window, at least 1
 * @param window the sliding window, at most [GroupLimits.MAX_WINDOW]
 * @return a copy with that window
 */
public fun GroupLimits.perWindow(calls: Int, window: Duration): GroupLimits = perWindow(calls, window.toJavaDuration())

/**
 * [ExecuteOptions.attemptTimeout] with a [Duration]: an attempt still running [timeout] after it
 * started is interrupted and fails with [dev.exmachina.core.AttemptTimeoutException].
 *
 * @param timeout the longest one attempt may run, positive
 * @return a copy with that attempt timeout
 */
public fun ExecuteOptions.attemptTimeout(timeout: Duration): ExecuteOptions = attemptTimeout(timeout.toJavaDuration())

/**
 * [ExecuteOptions.maxWait] with a [Duration]: an attempt waits at most [maxWait] for its groups,
 * else fails with [dev.exmachina.core.GroupWaitTimeoutException] holding nothing.
 *
 * @param maxWait the longest one attempt may wait for its groups, zero or more
 * @return a copy with that bound
 */
public fun ExecuteOptions.maxWait(maxWait: Duration): ExecuteOptions = maxWait(maxWait.toJavaDuration())

/**
 * [ExecuteOptions.callTimeout] with a [Duration]: a whole call takes at most [timeout], else fails
 * with [dev.exmachina.core.CallTimeoutException], never retried.
 *
 * @param timeout the longest a whole call may take, positive
 * @return a copy with that call timeout
 */
public fun ExecuteOptions.callTimeout(timeout: Duration): ExecuteOptions = callTimeout(timeout.toJavaDuration())

/**
 * [Machina.Builder.gracePeriod] with a [Duration]: how long `close()` lets emits finish before it
 * cancels them.
 *
 * @param gracePeriod the wait on the bot's clock, zero or more
 * @return this builder
 */
public fun Machina.Builder.gracePeriod(gracePeriod: Duration): Machina.Builder =
    gracePeriod(gracePeriod.toJavaDuration())

/**
 * [BotClock.sleep] with a [Duration]: waits on this clock, virtual time on a virtual clock.
 *
 * @param duration how long to wait, in this clock's time
 * @throws InterruptedException if the thread is interrupted while waiting
 */
@Throws(InterruptedException::class)
public fun BotClock.sleep(duration: Duration): Unit = sleep(duration.toJavaDuration())

/**
 * [Event.sleep] with a [Duration]: waits on the bot's clock.
 *
 * @param duration how long to wait
 * @throws InterruptedException if the thread is interrupted while waiting, as when the emit is cancelled
 */
@Throws(InterruptedException::class)
public fun Event.sleep(duration: Duration): Unit = sleep(duration.toJavaDuration())

/**
 * [Intervals.parse] giving a [Duration]: reads an interval string such as `"1d12h35m59s500ms"`.
 *
 * @param text the interval
 * @return the interval, exact to the nanosecond
 * @throws IllegalArgumentException quoting [text] and showing a valid form, when it cannot be parsed
 */
public fun parseInterval(text: String): Duration = Intervals.parse(text).toKotlinDuration()

/**
 * [Intervals.format] of a [Duration]: `"130ms"`, `"1.5s"`, `"2m30s"`; [parseInterval] reads it back.
 *
 * @param duration a duration, not negative
 * @return its interval string
 * @throws IllegalArgumentException if [duration] is negative
 */
public fun formatInterval(duration: Duration): String = Intervals.format(duration.toJavaDuration())

/**
 * [RetryRule.fixed] with a [Duration]: always wait [waitTime] after a failure of type [on].
 *
 * @param E the failure type
 * @param on the failure type the rule retries, subclasses included
 * @param waitTime the wait before each retry, zero or more
 * @return the rule, unlimited retries
 */
public fun <E : Throwable> fixedRetry(on: Class<E>, waitTime: Duration): RetryRule.Fixed<E> =
    RetryRule.fixed(on, waitTime.toJavaDuration())

/**
 * [RetryRule.range] with [Duration]s: wait a uniform random time in [[min], [max]] after a failure
 * of type [on].
 *
 * @param E the failure type
 * @param on the failure type the rule retries, subclasses included
 * @param min the shortest wait
 * @param max the longest wait, not below [min]
 * @return the rule, unlimited retries
 */
public fun <E : Throwable> rangeRetry(on: Class<E>, min: Duration, max: Duration): RetryRule.Range<E> =
    RetryRule.range(on, min.toJavaDuration(), max.toJavaDuration())

/**
 * [RetryRule.Fibonacci.unit] with a [Duration]: a copy whose waits are 1, 1, 2, 3, 5, … times [unit].
 *
 * @param unit the unit of the sequence, positive
 * @return a copy with that unit
 */
public fun <E : Throwable> RetryRule.Fibonacci<E>.unit(unit: Duration): RetryRule.Fibonacci<E> =
    unit(unit.toJavaDuration())

/**
 * [RetryRule.ExponentialAndJitter.base] with a [Duration]: a copy whose first wait is [base].
 *
 * @param base the first wait, positive
 * @return a copy with that base
 */
public fun <E : Throwable> RetryRule.ExponentialAndJitter<E>.base(base: Duration): RetryRule.ExponentialAndJitter<E> =
    base(base.toJavaDuration())

/**
 * [RetryRule.ExponentialAndJitter.cap] with a [Duration]: a copy whose waits never exceed [cap].
 *
 * @param cap the longest wait, not below the base
 * @return a copy with that cap
 */
public fun <E : Throwable> RetryRule.ExponentialAndJitter<E>.cap(cap: Duration): RetryRule.ExponentialAndJitter<E> =
    cap(cap.toJavaDuration())

/**
 * [RetryRule.Fixed.waitFrom] with a [Duration]: the wait a failure asks for (a `Retry-After`), or
 * `null` for the rule's own. A distinct name, since Kotlin would pick the Java method for a lambda.
 *
 * @param waitFrom the wait for a failure, or `null`
 * @return a copy that asks [waitFrom] first
 */
public fun <E : Throwable> RetryRule.Fixed<E>.waitFromFailure(waitFrom: (E) -> Duration?): RetryRule.Fixed<E> =
    waitFrom { failure: E -> waitFrom(failure)?.toJavaDuration() }

/**
 * [RetryRule.Fibonacci.waitFrom] with a [Duration]: the wait a failure asks for, or `null` for the
 * rule's own.
 *
 * @param waitFrom the wait for a failure, or `null`
 * @return a copy that asks [waitFrom] first
 */
public fun <E : Throwable> RetryRule.Fibonacci<E>.waitFromFailure(waitFrom: (E) -> Duration?): RetryRule.Fibonacci<E> =
    waitFrom { failure: E -> waitFrom(failure)?.toJavaDuration() }

/**
 * [RetryRule.Range.waitFrom] with a [Duration]: the wait a failure asks for, or `null` for the
 * rule's own.
 *
 * @param waitFrom the wait for a failure, or `null`
 * @return a copy that asks [waitFrom] first
 */
public fun <E : Throwable> RetryRule.Range<E>.waitFromFailure(waitFrom: (E) -> Duration?): RetryRule.Range<E> =
    waitFrom { failure: E -> waitFrom(failure)?.toJavaDuration() }

/**
 * [RetryRule.ExponentialAndJitter.waitFrom] with a [Duration]: the wait a failure asks for (a
 * `Retry-After`), or `null` for the backoff.
 *
 * @param waitFrom the wait for a failure, or `null`
 * @return a copy that asks [waitFrom] first
 */
public fun <E : Throwable> RetryRule.ExponentialAndJitter<E>.waitFromFailure(
    waitFrom: (E) -> Duration?,
): RetryRule.ExponentialAndJitter<E> = waitFrom { failure: E -> waitFrom(failure)?.toJavaDuration() }

/**
 * [RetryRule.waitFrom] with a [Duration], for any rule: the wait a failure asks for, or `null` for
 * the rule's own.
 *
 * @param waitFrom the wait for a failure, or `null`
 * @return a copy that asks [waitFrom] first
 */
public fun <E : Throwable> RetryRule<E>.waitFromFailure(waitFrom: (E) -> Duration?): RetryRule<E> =
    waitFrom { failure: E -> waitFrom(failure)?.toJavaDuration() }

/**
 * [Schedule.fixedDelay] with a [Duration]: waits [interval] after each iteration ends.
 *
 * @param interval the wait after each iteration ([Duration.ZERO]: none)
 * @return the schedule
 * @throws IllegalArgumentException if [interval] is negative or too long
 */
public fun fixedDelay(interval: Duration): Schedule.FixedDelay = Schedule.fixedDelay(interval.toJavaDuration())

/**
 * [Schedule.fixedRate] with a [Duration]: begins an iteration every [interval], counted from the
 * beginning of the previous one.
 *
 * @param interval the time between the beginnings of two iterations
 * @return the schedule, [Schedule.Misfire.RUN_ONCE], [Schedule.DEFAULT_TOLERANCE]
 * @throws IllegalArgumentException if [interval] is negative or too long
 */
public fun fixedRate(interval: Duration): Schedule.FixedRate = Schedule.fixedRate(interval.toJavaDuration())

/**
 * [Schedule.FixedRate.tolerance] with a [Duration]: how late an iteration may begin and still count
 * as on time.
 *
 * @param tolerance the lateness still on time, zero or more
 * @return a copy with that tolerance
 */
public fun Schedule.FixedRate.tolerance(tolerance: Duration): Schedule.FixedRate = tolerance(tolerance.toJavaDuration())

/**
 * [Schedule.Cron.tolerance] with a [Duration]: how late an iteration may begin and still count as
 * on time.
 *
 * @param tolerance the lateness still on time, zero or more
 * @return a copy with that tolerance
 */
public fun Schedule.Cron.tolerance(tolerance: Duration): Schedule.Cron = tolerance(tolerance.toJavaDuration())

/**
 * [CircuitBreaker.Builder.timeWindow] with a [Duration]: rates over the outcomes of the attempts
 * that ended in the last [length].
 *
 * @param length how far back outcomes count
 * @return this builder
 */
public fun CircuitBreaker.Builder.timeWindow(length: Duration): CircuitBreaker.Builder = timeWindow(length.toJavaDuration())

/**
 * [CircuitBreaker.Builder.slowCalls] with a [Duration]: attempts longer than [slowerThan] are slow,
 * and the breaker opens when they make up [percent] of the window or more.
 *
 * @param slowerThan the duration past which an attempt is slow, positive
 * @param percent 1 to 100
 * @return this builder
 */
public fun CircuitBreaker.Builder.slowCalls(slowerThan: Duration, percent: Int): CircuitBreaker.Builder =
    slowCalls(slowerThan.toJavaDuration(), percent)

/**
 * [CircuitBreaker.Builder.openWait] with [Duration]s: how long the breaker stays open, [first] the
 * first time, twice as long each time it opens again after a failed half-open, at most [max].
 *
 * @param first the first open wait, positive
 * @param max the longest open wait, not below [first]
 * @return this builder
 */
public fun CircuitBreaker.Builder.openWait(first: Duration, max: Duration): CircuitBreaker.Builder =
    openWait(first.toJavaDuration(), max.toJavaDuration())

/**
 * [CircuitBreaker.Builder.halfOpen] with a [Duration]: [probes] calls test the service, for at most
 * [maxHalfOpen].
 *
 * @param probes the calls let through while half open, at least 1
 * @param maxHalfOpen the longest the breaker stays half open, positive
 * @return this builder
 */
public fun CircuitBreaker.Builder.halfOpen(probes: Int, maxHalfOpen: Duration): CircuitBreaker.Builder =
    halfOpen(probes, maxHalfOpen.toJavaDuration())

/**
 * [ExecuteOptions.pauseOn] with a [Duration]: a failure of type [on] pauses every group of the
 * execute for what [pause] says (a 429's `Retry-After`); `null` or a non-positive duration pauses
 * nothing. Named apart from the Java method, to which Kotlin would otherwise send the lambda.
 *
 * @param on the failures that pause the groups
 * @param pause how long such a failure pauses them, or `null`
 * @return a copy with that rule after the others
 */
public fun <E : Throwable> ExecuteOptions.pauseOnFailure(on: Class<E>, pause: (E) -> Duration?): ExecuteOptions =
    pauseOn(on) { failure: E -> pause(failure)?.toJavaDuration() }
