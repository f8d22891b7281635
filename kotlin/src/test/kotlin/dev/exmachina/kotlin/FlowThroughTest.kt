package dev.exmachina.kotlin

import dev.exmachina.core.Execute
import dev.exmachina.retry.Retry
import dev.exmachina.testkit.VirtualClock
import dev.exmachina.testkit.VirtualClockExtension
import java.io.IOException
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.extension.ExtendWith

/** `Flow.through`: every element through an execute's limits and retry, in order or as calls end, on virtual time. */
@ExtendWith(VirtualClockExtension::class)
class FlowThroughTest {

    private fun VirtualClock.virtualTime(): Duration = elapsed().toKotlinDuration()

    /** An execute whose call of `n` takes `7 - n` seconds, in a group of [concurrency]; it logs each start. */
    private fun slowerFirst(clock: VirtualClock, concurrency: Int, starts: MutableList<String>): Execute<Int, Int> {
        lateinit var execute: Execute<Int, Int>
        machina {
            this.clock = clock
            group("api") { this.concurrency = concurrency }
            execute = execute("work", groups = listOf("api")) { n: Int ->
                starts += "$n@${clock.virtualTime()}"
                delay((7 - n).seconds)
                n * 10
            }
        }
        return execute
    }

    @Test
    fun orderedResultsKeepTheOrderOfTheElements(clock: VirtualClock) {
        val starts = CopyOnWriteArrayList<String>()
        val work = slowerFirst(clock, concurrency = 8, starts)

        val results = clock.runBlocking { (1..6).asFlow().through(work, concurrency = 3, ordered = true).toList() }

        assertEquals(listOf(10, 20, 30, 40, 50, 60), results)
        // Three at a time; an element holds its place until its result is emitted: 4 waits for 1 (6 s).
        assertEquals(listOf("1@0s", "2@0s", "3@0s", "4@6s", "5@6s", "6@6s"), starts)
        assertEquals(9.seconds, clock.virtualTime())
    }

    @Test
    fun unorderedResultsComeAsTheirCallsEnd(clock: VirtualClock) {
        val starts = CopyOnWriteArrayList<String>()
        val work = slowerFirst(clock, concurrency = 8, starts)

        val results = clock.runBlocking { (1..6).asFlow().through(work, concurrency = 3, ordered = false).toList() }

        // 3 ends at 4 s, 2 at 5 s, 1 at 6 s; each frees a place for the next element: 4, 5, 6 all end at 7 s.
        assertEquals(listOf(30, 20, 10, 40, 50, 60), results)
        assertEquals(listOf("1@0s", "2@0s", "3@0s", "4@4s", "5@5s", "6@6s"), starts)
        assertEquals(7.seconds, clock.virtualTime())
    }

    @Test
    fun theExecutesGroupLimitsEveryElement(clock: VirtualClock) {
        val starts = CopyOnWriteArrayList<String>()
        val work = slowerFirst(clock, concurrency = 2, starts)

        val results = clock.runBlocking { (4..6).asFlow().through(work, concurrency = 8, ordered = false).toList() }

        // The group lets 2 run at once, whatever the flow asks: 6 waits for 5 (2 s). 4 and 6 both end
        // at 3 s, 4 first: its wait was set first.
        assertEquals(listOf("4@0s", "5@0s", "6@2s"), starts)
        assertEquals(listOf(50, 40, 60), results)
        assertEquals(3.seconds, clock.virtualTime())
    }

    @Test
    fun aFailedElementIsRetriedByTheExecuteAndAFailureForGoodFailsTheFlow(clock: VirtualClock) {
        val attempts = CopyOnWriteArrayList<String>()
        lateinit var fetch: Execute<Int, Int>
        machina {
            this.clock = clock
            fetch = execute("fetch", retry = Retry.of(fixedRetry(IOException::class.java, 1.seconds).retries(1))) { n: Int ->
                attempts += "$n@${clock.virtualTime()}"
                if (n == 2 && attempts.count { it.startsWith("2@") } == 1) throw IOException("once")
                if (n == 9) throw IOException("always")
                n
            }
        }

        val results = clock.runBlocking { (1..3).asFlow().through(fetch, concurrency = 2).toList() }
        assertEquals(listOf(1, 2, 3), results)
        assertEquals(listOf("1@0s", "2@0s", "3@0s", "2@1s"), attempts)

        val failure = clock.runBlocking { assertFailsWith<IOException> { listOf(9).asFlow().through(fetch).toList() } }
        assertEquals("always", failure.message)
    }

    @Test
    fun aCollectorThatStopsEarlyCancelsTheCallsInFlight(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        lateinit var wait: Execute<Int, Int>
        machina {
            this.clock = clock
            wait = execute("wait") { n: Int ->
                try {
                    delay(n.seconds)
                } finally {
                    seen += "$n ended at ${clock.virtualTime()}"
                }
                n
            }
        }

        val first = clock.runBlocking { (1..3).asFlow().through(wait, concurrency = 3, ordered = false).first() }

        assertEquals(1, first)
        assertEquals(listOf("1 ended at 1s", "2 ended at 1s", "3 ended at 1s"), seen.sorted())
        assertEquals(1.seconds, clock.virtualTime())
    }

    @Test
    fun concurrencyBelowOneIsRefused(clock: VirtualClock) {
        val work = slowerFirst(clock, concurrency = 1, CopyOnWriteArrayList())
        val refused = assertFailsWith<IllegalArgumentException> { (1..2).asFlow().through(work, concurrency = 0) }
        assertEquals("concurrency must be >= 1, was 0", refused.message)
    }
}
