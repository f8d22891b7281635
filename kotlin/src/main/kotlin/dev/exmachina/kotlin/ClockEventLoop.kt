package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import java.util.ArrayDeque
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Delay
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Runnable

/**
 * The dispatcher of [runBlocking]: an event loop on the thread that waits, which runs the coroutines'
 * tasks in the order they were dispatched and waits between them on the bot's clock; `delay` and
 * `withTimeout` are timers of that clock. So on a virtual clock coroutines move on the same virtual
 * time as the bot's groups and windows, and the clock sees the loop as one of its waits.
 *
 * Invariants: tasks are queued and the loop's thread unparked under [lock]; once [close]d, a task
 * (a coroutine that outlived its run, resumed late) runs on a new thread of the clock instead, so
 * no task is ever lost. Only the owner thread runs [drain].
 */
@OptIn(InternalCoroutinesApi::class)
internal class ClockEventLoop(private val clock: BotClock, private val owner: Thread) : CoroutineDispatcher(), Delay {

    private val lock = ReentrantLock()
    private val tasks = ArrayDeque<Runnable>()
    private var closed = false

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        val queued = lock.withLock {
            if (!closed) tasks.addLast(block)
            !closed
        }
        if (queued) clock.unpark(owner) else clock.threadFactory("coroutine").newThread(block).start()
    }

    /** Runs the tasks queued now and those they queue; returns when none is left. Owner only. */
    fun drain() {
        while (true) {
            val task = lock.withLock { tasks.pollFirst() } ?: return
            task.run()
        }
    }

    /** Waits on the clock until a task is dispatched, a timer fires, or the thread is interrupted. */
    fun awaitWork() {
        if (lock.withLock { tasks.isEmpty() }) clock.park(this, BotClock.NO_DEADLINE)
    }

    /** From now on tasks run on threads of the clock; any queued now too. */
    fun close() {
        val left = lock.withLock {
            closed = true
            ArrayList(tasks).also { tasks.clear() }
        }
        left.forEach { clock.threadFactory("coroutine").newThread(it).start() }
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

    private fun deadline(timeMillis: Long): Long {
        val now = clock.nanoTime()
        val nanos = if (timeMillis >= Long.MAX_VALUE / 1_000_000) Long.MAX_VALUE else timeMillis.coerceAtLeast(0) * 1_000_000
        val deadline = now + nanos
        // Saturates short of NO_DEADLINE, which a timer may not have.
        return if (deadline - now < 0 || deadline == BotClock.NO_DEADLINE) BotClock.NO_DEADLINE - 1 else deadline
    }

    override fun toString(): String = "ClockEventLoop($clock, ${owner.name})"
}
