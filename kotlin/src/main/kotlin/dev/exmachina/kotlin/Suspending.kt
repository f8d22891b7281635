@file:JvmName("Suspending")

package dev.exmachina.kotlin

import dev.exmachina.core.BotClock
import dev.exmachina.core.Execute
import dev.exmachina.core.Forked
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.resume
import kotlin.coroutines.suspendCoroutine
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive

/**
 * [Execute.call] from a coroutine: the same limits, retry and time limits, without holding a
 * thread of the caller. The call runs on a new virtual thread of the bot's clock
 * ([Execute.clock]'s thread factory, so a virtual clock sees its waits) while the coroutine is
 * suspended; 10,000 coroutines waiting for a group's slot or window start hold 10,000 virtual
 * threads parked on the clock, and no platform thread.
 *
 * Cancelling the coroutine cancels the call at once: its thread is interrupted, so a call waiting
 * for its groups gives its place back, and an attempt running its handler is interrupted. A
 * cancelled call is never retried. The coroutine resumes (with a `CancellationException`) once the
 * call has ended and given back what it held, as kotlinx's `runInterruptible` does; a handler that
 * ignores interrupts delays that, as it delays [Forked.join].
 *
 * @param A the argument type
 * @param R the result type
 * @param argument passed to the handler, on every attempt
 * @return the handler's result
 * @throws Exception the last attempt's failure, unchanged, when no retry rule applies to it
 */
public suspend fun <A, R> Execute<A, R>.callSuspend(argument: A): R =
    onClockThread(clock(), "call-" + name()) { call(argument) }

/**
 * [Forked.join] from a coroutine: waits for the forked execute without holding a thread of the
 * caller (the wait runs on a virtual thread of the bot's clock). Cancelling the waiting coroutine
 * stops the wait, not the fork, as with kotlinx's `Deferred.await`: [Forked.cancel] cancels it.
 *
 * @param R the result type
 * @return the execute's result
 * @throws Exception the execute's failure, unchanged, or a `CancellationException` if it was cancelled
 */
public suspend fun <R> Forked<R>.await(): R = onClockThread(clock(), "await-" + name()) { join() }

/**
 * Runs [body] on a new thread of [clock] and suspends until it has ended. Cancelling the coroutine
 * interrupts that thread; the coroutine resumes when the thread has ended, then throws the
 * cancellation.
 */
@OptIn(InternalCoroutinesApi::class)
internal suspend fun <T> onClockThread(clock: BotClock, name: String, body: () -> T): T {
    val cancelled = AtomicBoolean()
    var onCancel: DisposableHandle? = null
    val outcome = suspendCoroutine { continuation ->
        val thread = clock.threadFactory(name).newThread {
            continuation.resume(if (cancelled.get()) null else runCatching(body))
        }
        onCancel = continuation.context[Job]?.invokeOnCompletion(onCancelling = true, invokeImmediately = true) {
            if (cancelled.compareAndSet(false, true)) clock.interrupt(thread)
        }
        thread.start()
    }
    onCancel?.dispose()
    currentCoroutineContext().ensureActive()
    // Not cancelled, so the body ran: its result or failure, unchanged.
    return checkNotNull(outcome) { "the call on $name did not run, yet its coroutine is active" }.getOrThrow()
}
