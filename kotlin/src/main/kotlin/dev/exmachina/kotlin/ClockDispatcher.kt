package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Delay
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Runnable

/**
 * A coroutine dispatcher on a bot's clock: each task runs on a new virtual thread of the clock's
 * [BotClock.threadFactory], and `delay` and `withTimeout` are timers of the clock ([BotClock.schedule]),
 * so on a virtual clock coroutines move on its virtual time and run only while the test drives it.
 *
 * Stateless apart from its clock, and thread-safe. Two dispatchers of the same clock are equal, so
 * `withContext` between them does not dispatch again.
 */
@OptIn(InternalCoroutinesApi::class)
internal open class ClockDispatcher(protected val clock: BotClock) : CoroutineDispatcher(), Delay {

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        clock.threadFactory("coroutine").newThread(block).start()
    }

    override fun scheduleResumeAfterDelay(timeMillis: Long, continuation: CancellableContinuation<Unit>) {
        // Resumed from the timer action: resume dispatches, so the action only queues a task.
        val timer = clock.schedule({ continuation.resumeWith(Result.success(Unit)) }, deadline(timeMillis))
        continuation.invokeOnCancellation { timer.cancel() }
    }

    override fun invokeOnTimeout(timeMillis: Long, block: Runnable, context: CoroutineContext): DisposableHandle {
        val timer = clock.schedule(block, deadline(timeMillis))
        return DisposableHandle { timer.cancel() }
    }

    /** [timeMillis] from now on the clock's time base, saturating below [BotClock.NO_DEADLINE] as core does. */
    private fun deadline(timeMillis: Long): Long {
        val nanos = if (timeMillis >= Long.MAX_VALUE / 1_000_000) Long.MAX_VALUE else timeMillis.coerceAtLeast(0) * 1_000_000
        val now = clock.nanoTime()
        val sum = now + nanos
        val overflow = ((now xor sum) and (nanos xor sum)) < 0
        return if (overflow || sum == BotClock.NO_DEADLINE) BotClock.NO_DEADLINE - 1 else sum
    }

    override fun equals(other: Any?): Boolean = other is ClockDispatcher && other !is ClockEventLoop && other.clock == clock

    override fun hashCode(): Int = clock.hashCode()

    override fun toString(): String = "ClockDispatcher($clock)"
}
