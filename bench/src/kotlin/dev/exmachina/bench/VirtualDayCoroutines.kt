package dev.exmachina.bench

import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import java.util.Locale
import kotlin.time.Duration.Companion.minutes
import kotlin.time.ExperimentalTime

/**
 * P6's anchor: the virtual day of [VirtualDay] on kotlinx-coroutines-test, what a Kotlin user
 * would write instead. `emits` coroutines each run `seconds` iterations 1 s apart on `runTest`'s
 * virtual time; each iteration starts a child (`async`) and awaits it, as an emit forks an execute
 * and joins it. Prints the same row as [VirtualDay], steps being the iterations (coroutines have
 * no step count).
 *
 *     java -cp benchmarks.jar dev.exmachina.bench.VirtualDayCoroutines --emits=10 --seconds=86400
 */
object VirtualDayCoroutines {

    /** Runs the day; returns it as [VirtualDay.Result]. */
    @JvmStatic
    @OptIn(ExperimentalTime::class)
    fun run(emits: Int, seconds: Long): VirtualDay.Result {
        var iterations = 0L
        var executes = 0L
        var virtualMillis = 0L
        val t0 = System.nanoTime()
        runTest(timeout = 30.minutes) {
            repeat(emits) {
                launch {
                    for (i in 0 until seconds) {
                        iterations++
                        async { executes++ }.await()
                        if (i < seconds - 1) delay(1_000)
                    }
                }
            }
            testScheduler.advanceUntilIdle()
            virtualMillis = testScheduler.currentTime
        }
        val wall = System.nanoTime() - t0
        return VirtualDay.Result(emits, seconds, iterations, executes, java.time.Duration.ofMillis(virtualMillis), wall, iterations)
    }

    @JvmStatic
    fun main(argv: Array<String>) {
        val args = Args(argv)
        val result = run(args.integer("emits", 10), args.number("seconds", 86_400))
        System.out.printf(Locale.ROOT, "Virtual day on kotlinx-coroutines-test: %d cores%n", Runtime.getRuntime().availableProcessors())
        println(VirtualDay.Result.header())
        println(result.row())
    }
}
