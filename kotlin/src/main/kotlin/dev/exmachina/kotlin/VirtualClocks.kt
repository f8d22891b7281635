@file:JvmName("VirtualClocks")

package dev.exmachina.kotlin

import dev.exmachina.testkit.VirtualClock
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The kotlin.time.Duration twins of exmachina-testkit's methods. In a file of their own: the testkit
// is an optional dependency, needed only by code that calls these.

/**
 * [VirtualClock.advance] with a [Duration]: runs everything due strictly before `now() + duration`,
 * then sets the time to that.
 *
 * @param duration how far to move time, not negative
 * @throws IllegalArgumentException if [duration] is negative
 */
public fun VirtualClock.advance(duration: Duration): Unit = advance(duration.toJavaDuration())

/**
 * [VirtualClock.Builder.watchdog] with a [Duration]: real time a bot thread may run without
 * waiting on the clock before a driving call fails.
 *
 * @param watchdog the real time, positive
 * @return this builder
 */
public fun VirtualClock.Builder.watchdog(watchdog: Duration): VirtualClock.Builder = watchdog(watchdog.toJavaDuration())
