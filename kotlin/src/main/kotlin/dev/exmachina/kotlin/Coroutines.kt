@file:JvmName("Coroutines")

package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import java.util.concurrent.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async

/**
 * Runs [block] as a coroutine and waits for it on this clock: kotlinx's `runBlocking`, with one
 * time source. The calling thread runs the coroutine and its children as an event loop; between
 * their steps it waits on this clock, and `delay`, `withTimeout` and every other wait of
 * kotlinx.coroutines are timers of this clock. So on a virtual clock of `exmachina-testkit` a
 * `delay(10.minutes)` takes no real time and moves on the same virtual time as the bot's groups
 * and windows; on the system clock it is a real wait.
 *
 * Use it where blocking code meets coroutines: in an emit's or an execute's handler (the DSL of
 * [machina] does it for you), or in a test, where the test thread drives the virtual clock while
 * it waits. The thread must be one the clock may park: a thread of the clock's
 * [BotClock.threadFactory] (every bot thread) or the test thread of a virtual clock.
 *
 * Interrupting the calling thread (a cancelled emit, an attempt timeout, `close()`) cancels the
 * coroutine; once it has finished, this throws [InterruptedException]. A coroutine launched in
 * [block] that outlives it (one launched in another scope) goes on running on threads of the clock.
 *
 * @param T the result type
 * @param block the coroutine
 * @return what [block] returned
 * @throws InterruptedException if the thread was interrupted: the coroutine was cancelled, and has
 *     finished
 */
@OptIn(ExperimentalCoroutinesApi::class)
@Throws(InterruptedException::class)
public fun <T> BotClock.runBlocking(block: suspend CoroutineScope.() -> T): T {
    val loop = ClockEventLoop(this, Thread.currentThread())
    val result = CoroutineScope(loop).async(start = CoroutineStart.DEFAULT, block = block)
    var interrupted = false
    try {
        while (true) {
            loop.drain()
            if (result.isCompleted) break
            loop.awaitWork()
            if (Thread.interrupted() && !interrupted) {
                interrupted = true
                result.cancel(CancellationException("the thread waiting for the coroutine was interrupted"))
            }
        }
    } finally {
        loop.close()
    }
    if (interrupted) throw InterruptedException("interrupted while waiting for a coroutine: it was cancelled")
    return result.getCompleted()
}

/**
 * A coroutine dispatcher on this clock, for coroutines that run on their own rather than inside a
 * [runBlocking] (a scope of the application, injected so that a test can give it a virtual clock).
 * Each task runs on a new virtual thread of this clock's [BotClock.threadFactory], and `delay` and
 * `withTimeout` are timers of this clock. On a virtual clock of `exmachina-testkit` its coroutines
 * run only while the test drives the clock (`advance`, `advanceUntilIdle`, a `run()`), in virtual
 * time, as kotlinx-coroutines-test's dispatchers do under `runTest`.
 *
 * Dispatchers of the same clock are equal.
 *
 * @return a dispatcher whose threads and waits are this clock's
 */
public fun BotClock.asCoroutineDispatcher(): CoroutineDispatcher = ClockDispatcher(this)
