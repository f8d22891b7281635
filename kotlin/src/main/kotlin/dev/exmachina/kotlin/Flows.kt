@file:JvmName("Flows")

package dev.exmachina.kotlin

import dev.exmachina.core.Execute
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.channelFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore

/**
 * Sends each element of this flow through [execute] ([callSuspend]): its groups' limits, its
 * retry and its time limits apply to every element, and the flow emits the results.
 *
 * At most [concurrency] elements are in the execute at once (the execute's groups may allow
 * fewer). With [ordered] (the default), results come in the order of the elements, and an element
 * counts against [concurrency] until its result has been emitted, so a slow element holds back at
 * most `concurrency - 1` results behind it; otherwise each result comes as soon as its call ends.
 *
 * A call that fails (after its retries) fails the flow with its failure, and the calls still
 * running are cancelled; so is every call when the collector is cancelled (see [callSuspend]).
 *
 * @param A the element type, the execute's argument
 * @param R the execute's result
 * @param execute what each element goes through
 * @param concurrency elements in the execute at once, at least 1
 * @param ordered whether results keep the order of the elements
 * @return a cold flow of the results
 * @throws IllegalArgumentException if [concurrency] is below 1
 */
public fun <A, R> Flow<A>.through(execute: Execute<A, R>, concurrency: Int = 1, ordered: Boolean = true): Flow<R> {
    require(concurrency >= 1) { "concurrency must be >= 1, was $concurrency" }
    return when {
        concurrency == 1 -> map { execute.callSuspend(it) }
        ordered -> inOrder(execute, concurrency)
        else -> asTheyEnd(execute, concurrency)
    }
}

private fun <A, R> Flow<A>.inOrder(execute: Execute<A, R>, concurrency: Int): Flow<R> = flow {
    coroutineScope {
        val places = Semaphore(concurrency)
        val pending = Channel<Deferred<R>>(Channel.UNLIMITED)
        launch {
            collect { element ->
                places.acquire() // given back once this element's result is emitted
                pending.send(async { execute.callSuspend(element) })
            }
            pending.close()
        }
        for (result in pending) {
            emit(result.await())
            places.release()
        }
    }
}

private fun <A, R> Flow<A>.asTheyEnd(execute: Execute<A, R>, concurrency: Int): Flow<R> = channelFlow {
    val places = Semaphore(concurrency)
    collect { element ->
        places.acquire()
        launch {
            try {
                send(execute.callSuspend(element))
            } finally {
                places.release()
            }
        }
    }
}
