package dev.exmachina.kotlin

import dev.exmachina.core.BotEvent
import dev.exmachina.core.BotListener
import dev.exmachina.core.CircuitBreaker
import dev.exmachina.core.ConcurrentGroup
import dev.exmachina.core.Execute
import dev.exmachina.retry.Retry
import dev.exmachina.testkit.VirtualClock
import dev.exmachina.testkit.VirtualClockExtension
import java.io.IOException
import java.lang.management.ManagementFactory
import java.util.concurrent.CancellationException
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.junit.jupiter.api.extension.ExtendWith

/** `callSuspend` and `await` on a virtual clock: what a waiting coroutine holds, and what a cancel gives back. */
@ExtendWith(VirtualClockExtension::class)
class SuspendingCallTest {

    private fun VirtualClock.virtualTime(): Duration = elapsed().toKotlinDuration()

    /** Sees every event of the bot, for the retries and outcomes. */
    private class Recorder : BotListener {
        val events = CopyOnWriteArrayList<BotEvent>()

        override fun onEvent(event: BotEvent) {
            events += event
        }

        fun retries() = events.filterIsInstance<BotEvent.RetryScheduled>()

        fun outcomes() = events.filterIsInstance<BotEvent.AttemptEnded>().map { it.outcome() }
    }

    @Test
    fun tenThousandCoroutinesWaitingForAGroupHoldNoPlatformThread(clock: VirtualClock) {
        val threads = ManagementFactory.getThreadMXBean()
        lateinit var group: ConcurrentGroup
        lateinit var double: Execute<Int, Int>
        val bot = machina {
            this.clock = clock
            group = group("api") { concurrency = 1 }
            double = execute("double", groups = listOf("api")) { n: Int ->
                if (n == 1) delay(1.minutes) // holds the one slot while the others queue
                n * 2
            }
        }
        val platformThreadsBefore = threads.threadCount
        var waiting = -1
        var platformThreadsWhileWaiting = -1

        val results = clock.runBlocking {
            val calls = (1..10_000).map { n -> async { double.callSuspend(n) } }
            delay(30.seconds)
            waiting = group.waiting()
            platformThreadsWhileWaiting = threads.threadCount
            calls.awaitAll()
        }

        assertEquals(9_999, waiting, "every caller but the first waits for the slot")
        // Each waiting call parks a virtual thread on the clock; no platform thread is added for them
        // (at most the virtual threads' carrier pool, when it starts).
        assertTrue(platformThreadsWhileWaiting <= platformThreadsBefore + 2,
            "platform threads while 9,999 calls waited: $platformThreadsWhileWaiting, before: $platformThreadsBefore")
        assertEquals((1..10_000).map { it * 2 }, results)
        assertEquals(1.minutes, clock.virtualTime())
        assertEquals(0, group.waiting() + group.inFlight())
        bot.close()
    }

    @Test
    fun aCancelledCallIsInterruptedAtOnceGivesItsSlotToTheNextCallerAndIsNotRetried(clock: VirtualClock) {
        val recorder = Recorder()
        val started = CopyOnWriteArrayList<String>()
        lateinit var slow: Execute<String, String>
        val bot = machina {
            this.clock = clock
            listener(recorder)
            group("api") { concurrency = 1 }
            slow = execute("slow", groups = listOf("api"), retry = Retry.of(fixedRetry(Exception::class.java, 1.seconds))) { name: String ->
                started += "$name@${clock.virtualTime()}"
                if (name == "first") clock.sleep(1.hours) // a blocking wait of the handler, interrupted by the cancel
                name
            }
        }

        clock.runBlocking {
            val first = launch { slow.callSuspend("first") }
            val second = async { slow.callSuspend("second") }
            delay(1.seconds)
            first.cancel()
            first.join()
            assertEquals(1.seconds, clock.virtualTime(), "the cancel took no time")
            assertEquals("second", second.await())
        }

        assertEquals(listOf("first@0s", "second@1s"), started, "the slot went to the next caller at the instant of the cancel")
        assertEquals(emptyList(), recorder.retries(), "a cancelled call is not retried")
        assertEquals(listOf(BotEvent.Outcome.CANCELLED, BotEvent.Outcome.SUCCESS), recorder.outcomes())
        bot.close()
    }

    @Test
    fun aCancelledCallIsNotCountedAsAFailureByTheCircuitBreaker(clock: VirtualClock) {
        // One failure in a window of one opens it.
        val breaker = CircuitBreaker.builder("api").countWindow(1).minimumCalls(1).failureRate(100).build()
        lateinit var api: Execute<String, String>
        val bot = machina {
            this.clock = clock
            group("api") { circuitBreaker(breaker) }
            api = execute("api", groups = listOf("api")) { name: String ->
                if (name == "failing") throw IOException("down")
                delay(1.hours)
                name
            }
        }

        clock.runBlocking {
            val call = launch { api.callSuspend("slow") }
            delay(1.seconds)
            call.cancel()
            call.join()
            assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "the cancel did not count")
            assertFailsWith<IOException> { api.callSuspend("failing") }
            assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failure does count")
        }
        bot.close()
    }

    @Test
    fun aCallCancelledWhileWaitingForItsGroupNeverStartsAndTheNextWaiterGoesFirst(clock: VirtualClock) {
        val started = CopyOnWriteArrayList<String>()
        lateinit var quote: Execute<String, String>
        val bot = machina {
            this.clock = clock
            group("api") { concurrency = 1 }
            quote = execute("quote", groups = listOf("api")) { name: String ->
                started += "$name@${clock.virtualTime()}"
                delay(10.seconds)
                name
            }
        }

        clock.runBlocking {
            val holder = launch { quote.callSuspend("holder") } // the slot, from 0 s to 10 s
            val waiter = launch { quote.callSuspend("cancelled") } // first in the queue
            val next = async { quote.callSuspend("next") }
            delay(1.seconds)
            waiter.cancel()
            waiter.join()
            holder.join()
            next.await()
        }

        // Had it stayed in the queue, "cancelled" would have run from 10 s to 20 s, and "next" after it.
        assertEquals(listOf("holder@0s", "next@10s"), started, "the cancelled waiter gave its place back")
        assertEquals(20.seconds, clock.virtualTime())
        bot.close()
    }

    @Test
    fun aFailureReachesTheSuspendedCallerUnchangedAfterItsRetries(clock: VirtualClock) {
        var attempts = 0
        lateinit var flaky: Execute<Unit, Unit>
        val bot = machina {
            this.clock = clock
            flaky = execute("flaky", retry = Retry.of(fixedRetry(IOException::class.java, 2.seconds).retries(2))) { _: Unit ->
                attempts++
                throw IOException("refused #$attempts")
            }
        }

        val failure = clock.runBlocking { assertFailsWith<IOException> { flaky.callSuspend(Unit) } }

        assertEquals("refused #3", failure.message)
        assertEquals(4.seconds, clock.virtualTime())
        bot.close()
    }

    @Test
    fun aForkedExecuteIsAwaitedWithoutBlockingTheIteration(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val bot = machina {
            this.clock = clock
            val slow = execute("slow") { seconds: Int -> delay(seconds.seconds); seconds }
            emit("poll", count = 1) { event ->
                val forks = listOf(3, 1, 2).map { event.execute(slow, it) }
                // Both awaits suspend this one thread's coroutines: they run side by side.
                val results = forks.map { fork -> async { fork.await() } }.awaitAll()
                seen += "$results@${clock.virtualTime()}"
                val cancelled = event.execute(slow, 60)
                cancelled.cancel()
                assertFailsWith<CancellationException> { cancelled.await() }
            }
        }

        bot.run()

        assertEquals(listOf("[3, 1, 2]@3s"), seen)
    }

    @Test
    fun cancellingTheAwaitLeavesTheForkRunning(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val bot = machina {
            this.clock = clock
            val slow = execute("slow") { seconds: Int -> delay(seconds.seconds); seconds }
            emit("poll", count = 1) { event ->
                val fork = event.execute(slow, 2)
                val impatient = launch { fork.await() }
                delay(1.seconds)
                impatient.cancel()
                impatient.join()
                seen += "wait cancelled at ${clock.virtualTime()}, fork done: ${fork.isDone}"
                seen += "fork gave ${fork.await()} at ${clock.virtualTime()}"
            }
        }

        bot.run()

        assertEquals(listOf("wait cancelled at 1s, fork done: false", "fork gave 2 at 2s"), seen)
    }
}
