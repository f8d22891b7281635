package dev.exmachina.kotlin

import dev.exmachina.core.EmitMode
import dev.exmachina.core.EmitOptions
import dev.exmachina.core.ExecuteOptions
import dev.exmachina.core.GroupLimits
import dev.exmachina.core.Machina
import dev.exmachina.core.Schedule
import dev.exmachina.core.Supervision
import dev.exmachina.retry.Retry
import dev.exmachina.retry.RetryRule
import dev.exmachina.testkit.VirtualClock
import dev.exmachina.testkit.VirtualClockExtension
import java.io.IOException
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import org.junit.jupiter.api.extension.ExtendWith

/** The DSL builds exactly what the Java builder builds: the same value objects, the same registrations. */
@ExtendWith(VirtualClockExtension::class)
class DslTest {

    private val retry = Retry.of(RetryRule.fixed(IOException::class.java, Duration.ofSeconds(1)).retries(3))

    @Test
    fun groupLimitsAreTheJavaBuildersValue() {
        assertEquals(GroupLimits.concurrency(4).perWindow(5, Duration.ofSeconds(1)), groupLimits { concurrency = 4; perWindow(5, 1.seconds) })
        assertEquals(
            GroupLimits.unlimited().perWindow(3, "100ms").anchoredAtCompletion(),
            groupLimits { perWindow(3, 100.milliseconds); anchoredAtCompletion() },
        )
        assertEquals(GroupLimits.unlimited(), groupLimits { })
    }

    @Test
    fun emitOptionsAreTheJavaBuildersValue() {
        assertEquals(EmitOptions.defaults(), emitOptions())
        assertEquals(EmitOptions.every("1s").count(3), emitOptions(every = 1.seconds, count = 3))
        assertEquals(
            EmitOptions.every(Duration.ofMinutes(5)).mode(EmitMode.ENTIRE).autostart(false).supervision(Supervision.logAndContinue()),
            emitOptions(every = 5.minutes, mode = EmitMode.ENTIRE, autostart = false, supervision = Supervision.logAndContinue()),
        )
    }

    @Test
    fun schedulesAndBreakersAreTheJavaBuildersValues() {
        val breaker = dev.exmachina.core.CircuitBreaker.builder("api").openWait(2.seconds, 1.minutes).build()
        assertEquals(GroupLimits.concurrency(2).circuitBreaker(breaker), groupLimits { circuitBreaker(breaker); concurrency = 2 })
        assertEquals(ExecuteOptions.defaults().circuitBreaker(breaker), executeOptions(circuitBreaker = breaker))
        assertEquals(
            EmitOptions.schedule(Schedule.fixedRate(Duration.ofSeconds(1)).tolerance(Duration.ofMillis(100))).count(3),
            emitOptions(schedule = fixedRate(1.seconds).tolerance(100.milliseconds), count = 3),
        )
        val both = assertFailsWith<IllegalArgumentException> { emitOptions(every = 1.seconds, schedule = fixedDelay(1.seconds)) }
        assertTrue("give either every and mode, or a schedule" in both.message!!, both.message)
    }

    @Test
    fun executeOptionsAreTheJavaBuildersValue() {
        assertEquals(ExecuteOptions.defaults(), executeOptions())
        assertEquals(
            ExecuteOptions.groups("api", "db").retry(retry)
                .attemptTimeout(Duration.ofSeconds(2)).maxWait(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(20)),
            executeOptions(listOf("api", "db"), retry, attemptTimeout = 2.seconds, maxWait = 5.seconds, callTimeout = 20.seconds),
        )
    }

    @Test
    fun aBotBuiltWithTheDslRegistersWhatTheJavaBuilderRegisters(clock: VirtualClock) {
        val java = Machina.builder().name("prices").clock(clock).build()
        val javaGroup = java.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(5, Duration.ofSeconds(1)))
        val javaEmit = java.emit("poll", EmitOptions.every("1s").count(2)) { }

        lateinit var kotlinGroup: dev.exmachina.core.ConcurrentGroup
        lateinit var kotlinEmit: dev.exmachina.core.Emit
        val bot = machina {
            name = "prices"
            this.clock = clock
            kotlinGroup = group("api") { concurrency = 4; perWindow(5, 1.seconds) }
            kotlinEmit = emit("poll", every = 1.seconds, count = 2) { }
        }

        assertEquals(java.name(), bot.name())
        assertEquals(clock, bot.clock())
        assertEquals(javaGroup.limits(), kotlinGroup.limits())
        assertEquals(javaEmit.options(), kotlinEmit.options())
        java.close()
        bot.close()
    }

    @Test
    fun theReadmesBotRunsOnVirtualTime(clock: VirtualClock) {
        val api = object {
            var calls = 0
            fun price(symbol: String): Int = if (++calls == 3) throw IOException("connection reset") else 100 * calls
        }
        val trades = CopyOnWriteArrayList<String>()
        fun trade(btc: Int, eth: Int) {
            trades += "BTC $btc ETH $eth at ${clock.elapsed().toMillis()} ms"
        }

        // The README's bot, with a clock and a count so that the test ends.
        val bot = machina {
            this.clock = clock
            group("api") { concurrency = 4; perWindow(5, 1.seconds) }

            val price = execute("price", groups = listOf("api"),
                    retry = Retry.of(RetryRule.exponentialAndJitter(IOException::class.java).retries(5))) { symbol: String ->
                api.price(symbol)
            }

            emit("poll", every = 1.seconds, count = 2) { event ->
                val btc = async { price.callSuspend("BTC") }   // suspends: no thread waits for the group
                val eth = price.callSuspend("ETH")
                trade(btc.await(), eth)
            }
        }

        bot.run()

        // ETH is asked first: async queues BTC's call, and the handler goes on to ETH's. The third
        // request (ETH's, second tick, at 1 s) failed and was retried after the rule's first wait, 1 s.
        assertEquals(listOf("BTC 200 ETH 100 at 0 ms", "BTC 400 ETH 500 at 2000 ms"), trades)
    }

    @Test
    fun hooksAreCoroutinesOnTheBotsClock(clock: VirtualClock) {
        val seen = CopyOnWriteArrayList<String>()
        val bot = machina {
            this.clock = clock
            onStartup { delay(1.seconds); seen += "started at ${clock.elapsed()}" }
            onShutdown { delay(2.seconds); seen += "stopped at ${clock.elapsed()}" }
            emit("once", count = 1) { seen += "emit at ${clock.elapsed()}" }
        }

        bot.run()

        assertEquals(listOf("started at PT1S", "emit at PT1S", "stopped at PT3S"), seen)
    }

    @Test
    fun settingsAfterTheFirstRegistrationAreRefusedWithWhatToDo(clock: VirtualClock) {
        val refused = assertFailsWith<IllegalStateException> {
            machina {
                this.clock = clock
                group("api") { concurrency = 1 }
                name = "late"
            }
        }
        assertTrue("before the first group, execute or emit" in refused.message!!, refused.message)
    }

    @Test
    fun badValuesFailWithTheJavaMessages() {
        val negative = assertFailsWith<IllegalArgumentException> { groupLimits { perWindow(5, (-1).seconds) } }
        assertTrue("window must not be negative" in negative.message!!, negative.message)
        val zero = assertFailsWith<IllegalArgumentException> { groupLimits { concurrency = 0 } }
        assertEquals("concurrency must be >= 1, was 0", zero.message)
    }
}
