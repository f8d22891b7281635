package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import java.util.ArrayDeque
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlinx.coroutines.Runnable

/**
 * The dispatcher of [runBlocking]: an event loop on the thread that waits, which runs the coroutines'
 * tasks in the order they were dispatched and waits between them on the bot's clock; `delay` and
 * `withTimeout` are timers of that clock (see [ClockDispatcher]). So on a virtual clock coroutines
 * move on the same virtual time as the bot's groups and windows, and the clock sees the loop as one
 * of its waits.
 *
 * Invariants: a task is queued under [lock], then the owner is unparked (an unpark that comes before
 * its park makes that park return, so no wake-up is lost); once [close]d, a task (a coroutine that
 * outlived its run, resumed late) runs on a new thread of the clock instead, so no task is ever
 * lost. Only the owner thread runs [drain] and [awaitWork].
 */
internal class ClockEventLoop(clock: BotClock, private val owner: Thread) : ClockDispatcher(clock) {

    private val lock = ReentrantLock()
    private val tasks = ArrayDeque<Runnable>()
    private var closed = false

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        val queued = lock.withLock {
            if (!closed) tasks.addLast(block)
            !closed
        }
        if (queued) clock.unpark(owner) else super.dispatch(context, block)
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
        left.forEach { super.dispatch(EmptyCoroutineContext, it) }
    }

    override fun equals(other: Any?): Boolean = this === other

    override fun hashCode(): Int = System.identityHashCode(this)

    override fun toString(): String = "ClockEventLoop($clock, ${owner.name})"
}
