package dev.exmachina.examples.kotlin

import dev.exmachina.core.EmitOptions
import dev.exmachina.core.Intervals
import dev.exmachina.testkit.VirtualClock
import dev.exmachina.testkit.VirtualClockExtension
import java.io.IOException
import java.math.BigDecimal
import java.time.Duration
import kotlin.reflect.typeOf
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.ExtendWith

/**
 * The Kotlin bot on the virtual clock: seconds of ticks and a retry, in no real time. Tagged
 * virtual-clock: the build runs it on one carrier thread, as the README advises for such tests.
 */
@Tag("virtual-clock")
@ExtendWith(VirtualClockExtension::class)
class PriceAlertsTest {

    @Test
    fun alertsOnPricesAboveTheirThresholdsAtTheVirtualInstantsOfTheTicks(clock: VirtualClock) {
        val btc = ArrayDeque(listOf("99", "101", "fail", "102", "98"))
        val calls = mutableListOf<String>()
        val source = PriceSource { symbol ->
            synchronized(calls) { calls += "$symbol@${clock.elapsed().toMillis()}" }
            when (symbol) {
                "BTC" -> synchronized(btc) { btc.removeFirst() }.let {
                    if (it == "fail") throw IOException("connection reset") else BigDecimal(it)
                }
                else -> null // not quoted: the bot skips it
            }
        }
        val alerts = PriceAlerts(clock, source, mapOf("BTC" to BigDecimal(100), "DOGE" to BigDecimal.ONE), ticks = 4)

        alerts.bot.run()

        assertEquals(
            listOf(
                "#2 2026-01-01T00:00:01Z BTC 101 > 100",
                // The third tick's first quote failed; the retry, 250 ms later, got 102.
                "#3 2026-01-01T00:00:02.250Z BTC 102 > 100",
            ),
            alerts.alerts,
        )
        assertEquals(listOf("BTC@0", "BTC@1000", "BTC@2000", "BTC@2250", "BTC@3250"), calls.filter { it.startsWith("BTC") })
        assertEquals(4, calls.count { it.startsWith("DOGE") })
        // Fixed delay: the fourth tick came a second after the third had ended, at 3.25 s.
        assertEquals(Duration.ofMillis(3250), clock.elapsed())
    }

    @Test
    fun kotlinSeesTheLibrarysNullnessNotPlatformTypes(clock: VirtualClock) {
        val alerts = PriceAlerts(clock, { null }, mapOf("BTC" to BigDecimal.ONE), ticks = 1)

        // The nullness the compiler inferred: a JDK method without jspecify gives a platform
        // type; the library's @NullMarked API gives real nullness, both ways.
        assertEquals("platform", nullness(System.getProperty("user.dir")))
        assertEquals("non-null", nullness(alerts.bot.name()))
        assertEquals("non-null", nullness(Intervals.parse("1s")))
        assertEquals("nullable", nullness(EmitOptions.every("1s").count()))

        alerts.bot.run()
        assertEquals(emptyList<String>(), alerts.alerts)
    }

    /** The inferred type of [value], as the compiler saw it (a platform type renders with "!"). */
    private inline fun <reified T> nullness(@Suppress("UNUSED_PARAMETER") value: T): String {
        val type = typeOf<T>()
        return when {
            type.toString().substringBefore(" ").endsWith("!") -> "platform"
            type.isMarkedNullable -> "nullable"
            else -> "non-null"
        }
    }
}
