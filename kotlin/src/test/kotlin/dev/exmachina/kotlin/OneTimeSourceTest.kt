package dev.exmachina.kotlin

import dev.exmachina.core.AttemptTimeoutException
import dev.exmachina.core.Execute
import dev.exmachina.testkit.Launched
import dev.exmachina.testkit.VirtualClock
import dev.exmachina.testkit.VirtualClockExtension
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.extension.ExtendWith

/** Coroutines' waits (`delay`, `withTimeout`) and the bot's groups on the one virtual time of a `VirtualClock`. */
@ExtendWith(VirtualClockExtension::class)
class OneTimeSourceTest {

    private fun VirtualClock.virtualTime(): Duration = elapsed().toKotlinDuration()

    @Test
    fun delayOfTenMinutesInAHandlerIsTenVirtualMinutes(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val bot = machina {
            this.clock = clock
            emit("patient", count = 2, every = 1.minutes) { event ->
                delay(10.minutes)
                seen += "#${event.epoch()} ${clock.virtualTime()}"
            }
        }

        bot.run() // 22 virtual minutes, in no real time to speak of

        assertEquals(listOf("#1 10m", "#2 21m"), seen)
        assertEquals(21.minutes, clock.virtualTime())
    }

    @Test
    fun withTimeoutInAHandlerEndsAtItsVirtualDeadline(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val bot = machina {
            this.clock = clock
            emit("bounded", count = 1) {
                seen += "${withTimeoutOrNull(2.seconds) { delay(1.hours); "late" }} at ${clock.virtualTime()}"
                seen += "${withTimeout(5.seconds) { delay(1.seconds); "in time" }} at ${clock.virtualTime()}"
            }
        }

        bot.run()

        assertEquals(listOf("null at 2s", "in time at 3s"), seen)
    }

    @Test
    fun anAttemptTimeoutCancelsTheHandlersCoroutineAtTheVirtualDeadline(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        lateinit var hanging: Execute<Unit, Unit>
        val bot = machina {
            this.clock = clock
            hanging = execute("hanging", attemptTimeout = 1.seconds) { _: Unit ->
                try {
                    delay(1.hours)
                } finally {
                    seen += "cancelled at ${clock.virtualTime()}"
                }
            }
        }

        clock.runBlocking { assertFailsWith<AttemptTimeoutException> { hanging.callSuspend(Unit) } }

        assertEquals(listOf("cancelled at 1s"), seen)
        bot.close()
    }

    @Test
    fun perWindowAdmitsExactlyFivePerVirtualSecondWhetherCallersSuspendOrBlock(clock: VirtualClock) {
        val starts = CopyOnWriteArrayList<Pair<String, Duration>>()
        lateinit var quote: Execute<String, String>
        val bot = machina {
            this.clock = clock
            group("api") { perWindow(5, 1.seconds) }
            quote = execute("quote", groups = listOf("api")) { caller: String ->
                starts += caller to clock.virtualTime()
                caller
            }
        }
        val blocking = mutableListOf<Launched>()

        clock.runBlocking {
            for (i in 1..10) {
                launch { quote.callSuspend("suspending-$i") }
                blocking += clock.launch { quote.call("blocking-$i") } // a bot thread that blocks in call()
            }
        }
        blocking.forEach { it.join() }

        assertEquals(mapOf(0.seconds to 5, 1.seconds to 5, 2.seconds to 5, 3.seconds to 5), starts.groupingBy { it.second }.eachCount())
        assertEquals(10, starts.count { it.first.startsWith("suspending") })
        assertEquals(10, starts.count { it.first.startsWith("blocking") })
        bot.close()
    }

    @Test
    fun aCoroutineOutlivingItsRunBlockingGoesOnOnTheClocksThreads(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val outer = kotlinx.coroutines.CoroutineScope(kotlinx.coroutines.Job())

        clock.runBlocking {
            // Launched in a scope of its own, on this run's dispatcher: it outlives the run.
            outer.launch(coroutineContext[kotlin.coroutines.ContinuationInterceptor]!!) {
                delay(5.seconds)
                seen += "after ${clock.virtualTime()}"
            }
        }
        assertEquals(emptyList(), seen)
        clock.advanceUntilIdle()

        assertEquals(listOf("after 5s"), seen)
        assertNull(outer.coroutineContext[kotlinx.coroutines.Job]!!.children.firstOrNull())
    }

    @Test
    fun aScopeOnTheClocksDispatcherRunsInVirtualTimeWhileTheTestDrivesIt(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        lateinit var quote: Execute<String, String>
        val bot = machina {
            this.clock = clock
            group("api") { perWindow(1, 1.seconds) }
            quote = execute("quote", groups = listOf("api")) { symbol: String -> symbol }
        }
        val scope = kotlinx.coroutines.CoroutineScope(clock.asCoroutineDispatcher())

        scope.launch {
            delay(5.seconds)
            seen += "${quote.callSuspend("BTC")} at ${clock.virtualTime()}"
            seen += "${quote.callSuspend("ETH")} at ${clock.virtualTime()}" // the window's next start
        }
        clock.advance(5.seconds)
        assertEquals(emptyList(), seen, "what is due at 5 s runs on the next driving call")
        clock.advance(3.seconds)

        assertEquals(listOf("BTC at 5s", "ETH at 6s"), seen)
        assertEquals(clock.asCoroutineDispatcher(), clock.asCoroutineDispatcher())
        bot.close()
    }
}
