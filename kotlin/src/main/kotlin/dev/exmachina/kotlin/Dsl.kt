@file:JvmName("Dsl")

package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import dev.exmachina.core.BotListener
import dev.exmachina.core.CircuitBreaker
import dev.exmachina.core.ConcurrentGroup
import dev.exmachina.core.Emit
import dev.exmachina.core.EmitMode
import dev.exmachina.core.EmitOptions
import dev.exmachina.core.Event
import dev.exmachina.core.Execute
import dev.exmachina.core.ExecuteOptions
import dev.exmachina.core.GroupLimits
import dev.exmachina.core.Machina
import dev.exmachina.core.Schedule
import dev.exmachina.core.Supervision
import dev.exmachina.core.spi.EmitLease
import dev.exmachina.core.spi.GroupBackend
import dev.exmachina.retry.Retry
import kotlin.time.Duration
import kotlinx.coroutines.CoroutineScope

/** Marks the receivers of the [machina] DSL, so an inner block cannot call an outer one's verbs by mistake. */
@DslMarker
public annotation class MachinaDsl

/**
 * Builds a bot: the same [Machina] as `Machina.builder()` and its registrations, written in
 * Kotlin.
 *
 * ```kotlin
 * val bot = machina {
 *     clock = testClock                                   // settings first: name, clock, listener, hooks
 *     group("api") { concurrency = 4; perWindow(5, 1.seconds) }
 *     val price = execute("price", groups = listOf("api")) { symbol: String -> api.price(symbol) }
 *     emit("poll", every = 1.seconds) { event -> trade(price.callSuspend("BTC")) }
 * }
 * bot.run()
 * ```
 *
 * Handlers and hooks are suspending lambdas: each runs in [BotClock.runBlocking] on the thread the
 * bot gives it, so `delay` and `withTimeout` in them are waits of the bot's clock (virtual time on a
 * virtual clock), and cancelling the emit or timing out the attempt cancels the coroutine.
 *
 * @param configure settings, then groups, executes and emits, in the order they are registered
 * @return the bot, ready to [Machina.run]
 * @throws IllegalArgumentException as `Machina`'s registrations do (a blank or taken name, an unknown group)
 */
public fun machina(configure: MachinaScope.() -> Unit): Machina = MachinaScope().apply(configure).bot

/**
 * The receiver of [machina]: the bot's settings, then its groups, executes and emits. The settings
 * ([name], [clock], [gracePeriod], [groupBackend], [listener], [onStartup], [onShutdown]) go before
 * the first registration, which builds the bot.
 */
@MachinaDsl
public class MachinaScope internal constructor() {
    private val builder: Machina.Builder = Machina.builder()
    private var built: Machina? = null

    /** The bot's name, in logs and thread names; `"machina"` if not set. */
    public var name: String? = null
        set(value) = setting { field = value; builder.name(requireNotNull(value) { "name must not be null" }) }

    /** The bot's clock: [BotClock.system] if not set, a virtual clock in tests. */
    public var clock: BotClock? = null
        set(value) = setting { field = value; builder.clock(requireNotNull(value) { "clock must not be null" }) }

    /** How long `close()` lets emits finish before it cancels them; 10 s if not set. */
    public var gracePeriod: Duration? = null
        set(value) = setting { field = value; builder.gracePeriod(requireNotNull(value) { "gracePeriod must not be null" }) }

    /** Where the bot's groups keep their state: in memory if not set (see [Machina.Builder.groupBackend]). */
    public var groupBackend: GroupBackend? = null
        set(value) = setting { field = value; builder.groupBackend(requireNotNull(value) { "groupBackend must not be null" }) }

    /**
     * The bot, built at the first registration (or here) from the settings made so far.
     */
    public val bot: Machina
        get() = built ?: builder.build().also { built = it }

    /**
     * Adds a listener that sees what the bot does, as [Machina.Builder.listener].
     *
     * @param listener the listener
     */
    public fun listener(listener: BotListener): Unit = setting { builder.listener(listener) }

    /**
     * A hook run by `run()` before any emit starts, as [Machina.Builder.onStartup].
     *
     * @param hook the hook, a coroutine on the bot's clock
     */
    public fun onStartup(hook: suspend CoroutineScope.() -> Unit): Unit =
        setting { builder.onStartup { bot.clock().runBlocking(hook) } }

    /**
     * A hook run by `run()` after everything has finished, also when it failed, as
     * [Machina.Builder.onShutdown].
     *
     * @param hook the hook, a coroutine on the bot's clock
     */
    public fun onShutdown(hook: suspend CoroutineScope.() -> Unit): Unit =
        setting { builder.onShutdown { bot.clock().runBlocking(hook) } }

    /**
     * Registers a concurrent group, as [Machina.concurrentGroup] with [groupLimits].
     *
     * @param name the group's name, unique among the bot's groups
     * @param limits its limits: no limit unless the block sets one
     * @return the group, to read its counts
     */
    public fun group(name: String, limits: GroupLimitsScope.() -> Unit): ConcurrentGroup =
        bot.concurrentGroup(name, groupLimits(limits))

    /**
     * Registers an execute, as [Machina.execute] with [executeOptions]. Each attempt runs [handler]
     * as a coroutine on the attempt's thread ([BotClock.runBlocking]): an attempt timeout or a cancel
     * cancels it.
     *
     * @param A the argument type
     * @param R the result type
     * @param name the execute's name, unique among the bot's executes
     * @param groups names of concurrent groups, each registered before
     * @param retry what to wait after a failed attempt
     * @param attemptTimeout the longest one attempt may run, or `null`
     * @param maxWait the longest one attempt may wait for its groups, or `null`
     * @param callTimeout the longest a whole call may take, or `null`
     * @param circuitBreaker the execute's own breaker, or `null`
     * @param handler what each attempt runs
     * @return the execute: [Execute.callSuspend] it from a coroutine, [Execute.call] it from a thread
     */
    public fun <A, R> execute(
        name: String,
        groups: List<String> = emptyList(),
        retry: Retry = Retry.none(),
        attemptTimeout: Duration? = null,
        maxWait: Duration? = null,
        callTimeout: Duration? = null,
        circuitBreaker: CircuitBreaker? = null,
        handler: suspend CoroutineScope.(A) -> R,
    ): Execute<A, R> {
        val options = executeOptions(groups, retry, attemptTimeout, maxWait, callTimeout, circuitBreaker)
        val clock = bot.clock()
        return bot.execute(name, options) { argument -> clock.runBlocking { handler(argument) } }
    }

    /**
     * Registers an emit, as [Machina.emit] with [emitOptions]. Each iteration runs [handler] as a
     * coroutine on the emit's thread ([BotClock.runBlocking]): cancelling the emit cancels it.
     *
     * @param name the emit's name, unique among the bot's emits
     * @param every the wait between iterations; none if not set
     * @param count iterations per run; `null` for forever
     * @param mode how the interval is measured
     * @param autostart whether `run()` starts the emit
     * @param supervision what a failure of the handler does
     * @param singleton the lease of a singleton emit, or `null` for an ordinary one
     * @param schedule when iterations run (a fixed rate with its misfire rule, a cron in a zone),
     *     instead of [every] and [mode]; `null` for those
     * @param handler what each iteration runs
     * @return the emit
     */
    public fun emit(
        name: String,
        every: Duration = Duration.ZERO,
        count: Long? = null,
        mode: EmitMode = EmitMode.AFTER,
        autostart: Boolean = true,
        supervision: Supervision = Supervision.stopBot(),
        singleton: EmitLease? = null,
        schedule: Schedule? = null,
        handler: suspend CoroutineScope.(Event) -> Unit,
    ): Emit {
        val options = emitOptions(every, count, mode, autostart, supervision, singleton, schedule)
        val clock = bot.clock()
        return bot.emit(name, options) { event -> clock.runBlocking { handler(event) } }
    }

    private fun setting(set: () -> Unit) {
        check(built == null) {
            "the bot is already built: set name, clock, gracePeriod, groupBackend, listeners and hooks " +
                "before the first group, execute or emit"
        }
        set()
    }
}

/**
 * The limits of a concurrent group, set in a block: `concurrency = 4; perWindow(5, 1.seconds)`.
 * Unset, there is no limit ([GroupLimits.unlimited]).
 */
@MachinaDsl
public class GroupLimitsScope internal constructor() {
    private var limits: GroupLimits = GroupLimits.unlimited()

    /** Attempts in flight at once, at least 1; `null` (the default) for no limit. */
    public var concurrency: Int?
        get() = limits.concurrency()
        set(value) {
            limits = GroupLimits(value, limits.callsPerWindow(), limits.window(), limits.anchor(), limits.circuitBreaker())
        }

    /**
     * At most [calls] attempts start in any interval of length [window], as [GroupLimits.perWindow].
     *
     * @param calls attempts that may start in any window, at least 1
     * @param window the sliding window
     */
    public fun perWindow(calls: Int, window: Duration) {
        limits = limits.perWindow(calls, window)
    }

    /** Each start counts until a window after its attempt ended, as [GroupLimits.anchoredAtCompletion]. */
    public fun anchoredAtCompletion() {
        limits = limits.anchoredAtCompletion()
    }

    /**
     * Every attempt through the group first asks [breaker], as [GroupLimits.circuitBreaker].
     *
     * @param breaker the group's breaker
     */
    public fun circuitBreaker(breaker: CircuitBreaker) {
        limits = limits.circuitBreaker(breaker)
    }

    internal fun build(): GroupLimits = limits
}

/**
 * Group limits written as a block, the same value as the Java methods give:
 * `groupLimits { concurrency = 4; perWindow(5, 1.seconds) }` equals
 * `GroupLimits.concurrency(4).perWindow(5, Duration.ofSeconds(1))`.
 *
 * @param configure sets the limits
 * @return the limits
 */
public fun groupLimits(configure: GroupLimitsScope.() -> Unit): GroupLimits = GroupLimitsScope().apply(configure).build()

/**
 * Emit options with named arguments, the same value as the Java methods give:
 * `emitOptions(every = 1.seconds, count = 3)` equals `EmitOptions.every("1s").count(3)`.
 *
 * @param every the wait between iterations
 * @param count iterations per run; `null` for forever
 * @param mode how the interval is measured
 * @param autostart whether `run()` starts the emit
 * @param supervision what a failure of the handler does
 * @param singleton the lease of a singleton emit, or `null`
 * @param schedule when iterations run, instead of [every] and [mode] (as [EmitOptions.on]); `null`
 *     for those
 * @return the options
 * @throws IllegalArgumentException if [schedule] is given with [every] or [mode]
 */
public fun emitOptions(
    every: Duration = Duration.ZERO,
    count: Long? = null,
    mode: EmitMode = EmitMode.AFTER,
    autostart: Boolean = true,
    supervision: Supervision = Supervision.stopBot(),
    singleton: EmitLease? = null,
    schedule: Schedule? = null,
): EmitOptions {
    require(schedule == null || (every == Duration.ZERO && mode == EmitMode.AFTER)) {
        "give either every and mode, or a schedule, not both: every was $every, mode $mode, schedule $schedule"
    }
    var options = if (schedule != null) EmitOptions.schedule(schedule) else every(every).mode(mode)
    options = options.autostart(autostart).supervision(supervision)
    if (count != null) options = options.count(count)
    if (singleton != null) options = options.singleton(singleton)
    return options
}

/**
 * Execute options with named arguments, the same value as the Java methods give:
 * `executeOptions(groups = listOf("api"), attemptTimeout = 2.seconds)` equals
 * `ExecuteOptions.groups("api").attemptTimeout(Duration.ofSeconds(2))`.
 *
 * @param groups names of concurrent groups, none repeated
 * @param retry what to wait after a failed attempt
 * @param attemptTimeout the longest one attempt may run, or `null`
 * @param maxWait the longest one attempt may wait for its groups, or `null`
 * @param callTimeout the longest a whole call may take, or `null`
 * @param circuitBreaker the execute's own breaker, or `null`
 * @return the options
 */
public fun executeOptions(
    groups: List<String> = emptyList(),
    retry: Retry = Retry.none(),
    attemptTimeout: Duration? = null,
    maxWait: Duration? = null,
    callTimeout: Duration? = null,
    circuitBreaker: CircuitBreaker? = null,
): ExecuteOptions {
    var options = ExecuteOptions.groups(*groups.toTypedArray()).retry(retry)
    if (attemptTimeout != null) options = options.attemptTimeout(attemptTimeout)
    if (maxWait != null) options = options.maxWait(maxWait)
    if (callTimeout != null) options = options.callTimeout(callTimeout)
    if (circuitBreaker != null) options = options.circuitBreaker(circuitBreaker)
    return options
}
