package dev.exmachina.kotlin

import dev.exmachina.core.Machina
import dev.exmachina.retry.Retry
import dev.exmachina.testkit.VirtualClock
import java.io.File
import java.lang.reflect.Executable
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.util.jar.JarFile
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Every public method of the library that takes a `java.time.Duration` (also inside a function type,
 * as `waitFrom`) or an interval string has a `kotlin.time.Duration` twin in this module, found by
 * reflection: a method added to core, retry or testkit without its twin fails this test, by name.
 *
 * The twin of an instance method is an extension function of the same name on the same type
 * (`GroupLimits.perWindow(Int, kotlin.time.Duration)`); of a static method, the top-level function
 * named in [STATIC_TWINS]. A `kotlin.time.Duration` is a `long` in the JVM signature (an inline
 * class); a function type is a `Function1` whose type mentions `kotlin.time.Duration`.
 */
class DurationTwinsTest {

    @Test
    fun everyMethodTakingAJavaDurationOrAnIntervalStringHasAKotlinDurationTwin() {
        val taking = libraryMethodsTakingDurations()
        val twins = kotlinTwins()

        val missing = taking.filter { it.key !in ALLOWED && !madeByTheLibrary(it.key) && !hasTwin(it, twins) }.map { it.key }
        assertEquals(emptyList(), missing, "methods without a kotlin.time.Duration twin (add one, or allow-list it with a reason)")

        // The scan saw what it must: not a vacuous pass.
        val keys = taking.map { it.key }.toSet()
        assertTrue("GroupLimits.perWindow(int, Duration)" in keys, keys.toString())
        assertTrue("GroupLimits.perWindow(int, String)" in keys, keys.toString())
        assertTrue("VirtualClock.advance(Duration)" in keys, keys.toString())
        assertTrue("RetryRule.Fixed.waitFrom(Function)" in keys, keys.toString())
        assertTrue(taking.size >= 25, "only ${taking.size} methods found: $keys")
        // And the allow-list holds nothing stale.
        assertEquals(emptySet(), ALLOWED.keys - keys, "allow-listed methods that no longer exist")
    }

    private class Taking(val key: String, val method: Executable, val durationAt: Set<Int>)

    private fun libraryMethodsTakingDurations(): List<Taking> =
        listOf(Machina::class.java, Retry::class.java, VirtualClock::class.java)
            .flatMap { classNames(it) }
            .map { Class.forName(it) }
            .filter { isPublicApi(it) }
            .flatMap { type ->
                val members: List<Executable> = (type.declaredMethods.toList() + type.declaredConstructors)
                    .filter { Modifier.isPublic(it.modifiers) && !it.isSynthetic && !(it is Method && it.isBridge) }
                members.mapNotNull { member -> taking(type, member, members) }
            }

    /** Positions of Duration parameters (or interval strings where an overload takes a Duration). */
    private fun taking(type: Class<*>, member: Executable, all: List<Executable>): Taking? {
        val params = member.genericParameterTypes.map { it.typeName }
        val at = params.indices.filter { "java.time.Duration" in params[it] }.toMutableSet()
        params.indices.filter { params[it] == "java.lang.String" }.forEach { i ->
            val overload = all.any { other ->
                other !== member && other.name == member.name && other.parameterCount == member.parameterCount &&
                    other.parameterTypes[i] == java.time.Duration::class.java
            }
            if (overload) at += i
        }
        // The parser of interval strings: its twin reads one into a kotlin.time.Duration.
        val parser = type.simpleName == "Intervals" && member.name == "parse"
        if (at.isEmpty() && !parser) return null
        val name = if (member is Method) member.name else "<init>"
        val shown = member.parameterTypes.joinToString(", ") { it.simpleName }
        return Taking("${displayName(type)}.$name($shown)", member, at)
    }

    private fun hasTwin(taking: Taking, twins: List<Method>): Boolean {
        val member = taking.method as? Method ?: return false
        val static = Modifier.isStatic(member.modifiers)
        val name = if (static) STATIC_TWINS[taking.key] ?: return false else INSTANCE_TWIN_NAMES[member.name] ?: member.name
        val expected = (if (static) emptyList() else listOf(member.declaringClass)) +
            member.parameterTypes.mapIndexed { i, t -> twinType(t, i in taking.durationAt) }
        val expectedReturn = if (member.returnType == java.time.Duration::class.java) Long::class.javaPrimitiveType else member.returnType
        val offset = if (static) 0 else 1
        return twins.any { twin ->
            twin.name.substringBefore('-') == name &&
                twin.parameterTypes.toList() == expected &&
                twin.returnType == expectedReturn &&
                // A function type of the twin gives a kotlin.time.Duration.
                expected.indices.filter { expected[it] == Function1::class.java && it - offset in taking.durationAt }
                    .all { "kotlin.time.Duration" in twin.genericParameterTypes[it].typeName }
        }
    }

    private fun twinType(type: Class<*>, duration: Boolean): Class<*> = when {
        !duration -> type
        type == java.time.Duration::class.java || type == String::class.java -> Long::class.javaPrimitiveType!!
        else -> Function1::class.java // a function type that gives a Duration
    }

    private fun kotlinTwins(): List<Method> =
        classNames(DurationTwinsTest::class.java.classLoader.loadClass("dev.exmachina.kotlin.Durations"))
            .map { Class.forName(it) }
            .flatMap { it.declaredMethods.toList() }
            .filter { Modifier.isPublic(it.modifiers) && Modifier.isStatic(it.modifiers) }

    /** The classes of the packages of [anchor], without internal ones, from its jar or directory. */
    private fun classNames(anchor: Class<*>): List<String> {
        val location = File(anchor.protectionDomain.codeSource.location.toURI())
        val packageDir = anchor.packageName.replace('.', '/')
        val entries = if (location.isDirectory) {
            location.walk().filter { it.isFile }.map { it.relativeTo(location).invariantSeparatorsPath }.toList()
        } else {
            JarFile(location).use { jar -> jar.entries().toList().map { it.name } }
        }
        return entries
            .filter { it.endsWith(".class") && it.startsWith("$packageDir/") && "/internal/" !in it && !it.endsWith("module-info.class") }
            .filter { !it.startsWith("META-INF") }
            .map { it.removeSuffix(".class").replace('/', '.') }
    }

    private fun isPublicApi(type: Class<*>): Boolean {
        var t: Class<*>? = type
        while (t != null) {
            if (!Modifier.isPublic(t.modifiers)) return false
            t = t.enclosingClass
        }
        return true
    }

    private fun displayName(type: Class<*>): String =
        generateSequence(type) { it.enclosingClass }.toList().reversed().joinToString(".") { it.simpleName }

    /** A listener event's constructor: the bot makes events, listeners read them. */
    private fun madeByTheLibrary(key: String): Boolean = key.startsWith("BotEvent.") && ".<init>(" in key

    private companion object {
        /** The top-level twin of each static method. */
        val STATIC_TWINS = mapOf(
            "EmitOptions.every(Duration)" to "every",
            "EmitOptions.every(String)" to "every",
            "Intervals.parse(String)" to "parseInterval",
            "Intervals.format(Duration)" to "formatInterval",
            "RetryRule.fixed(Class, Duration)" to "fixedRetry",
            "RetryRule.range(Class, Duration, Duration)" to "rangeRetry",
            "Schedule.fixedDelay(Duration)" to "fixedDelay",
            "Schedule.fixedRate(Duration)" to "fixedRate",
        )

        /** Instance methods whose twin has another name: Kotlin would resolve a lambda to the Java method. */
        val INSTANCE_TWIN_NAMES = mapOf("waitFrom" to "waitFromFailure", "pauseOn" to "pauseOnFailure")

        /** Methods that have no twin, and why. */
        val ALLOWED: Map<String, String> = buildMap {
            val madeByTheLibrary = "made by the library and read by users, who never construct one"
            val record = "a record's canonical constructor: its factories and with-methods, which have twins, are the documented way to make one"
            put("GroupLimits.<init>(Integer, int, Duration, WindowAnchor)", record)
            put("GroupLimits.<init>(Integer, int, Duration)", record)
            put("EmitOptions.<init>(Duration, Long, EmitMode, boolean, Supervision, EmitLease)", record)
            put("EmitOptions.<init>(Duration, Long, EmitMode, boolean, Supervision)", record)
            put("ExecuteOptions.<init>(List, Retry, Duration, Duration, Duration)", record)
            put("ExecuteOptions.<init>(List, Retry, Duration, Duration, Duration, CircuitBreaker)", record)
            put("EmitOptions.<init>(Duration, Long, EmitMode, boolean, Supervision, EmitLease, Schedule)", record)
            put("GroupLimits.<init>(Integer, int, Duration, WindowAnchor, CircuitBreaker)", record)
            put("Schedule.FixedDelay.<init>(Duration)", record)
            put("Schedule.FixedRate.<init>(Duration, Misfire, Duration)", record)
            put("CircuitBreakerConfig.SlidingWindow.Time.<init>(Duration)", record)
            put("CircuitBreakerConfig.<init>(SlidingWindow, int, int, Duration, int, Duration, Duration, int, Duration, List)",
                "the breaker's settings as CircuitBreaker.Builder makes them; the builder's methods have twins")
            put("CircuitOpenException.<init>(String, State, Duration)", madeByTheLibrary)
            put("RetryRule.Fixed.<init>(Class, Duration, Integer, Predicate, Function)", record)
            put("RetryRule.Fixed.<init>(Class, Duration, Integer, Predicate)", record)
            put("RetryRule.Fibonacci.<init>(Class, Duration, Integer, Predicate, Function)", record)
            put("RetryRule.Fibonacci.<init>(Class, Duration, Integer, Predicate)", record)
            put("RetryRule.Range.<init>(Class, Duration, Duration, Integer, Predicate, Function)", record)
            put("RetryRule.Range.<init>(Class, Duration, Duration, Integer, Predicate)", record)
            put("RetryRule.ExponentialAndJitter.<init>(Class, Duration, Duration, Integer, Predicate, Function, boolean)", record)
            put("RetryRule.ExponentialAndJitter.<init>(Class, Duration, Duration, Integer, Predicate)", record)
            put("AttemptTimeoutException.<init>(String, int, Duration, Throwable)", madeByTheLibrary)
            put("CallTimeoutException.<init>(String, int, Duration, String, Throwable)", madeByTheLibrary)
            put("GroupWaitTimeoutException.<init>(String, String, Duration, Duration, String)", madeByTheLibrary)
            put("RetryEvent.<init>(Throwable, RetryRule, int, Duration, Integer)", madeByTheLibrary)
            put("ExecuteOptions.<init>(List, Retry, Duration, Duration, Duration, CircuitBreaker, CallCost, List)", record)
            put("GroupLimits.<init>(Integer, int, Duration, WindowAnchor, CircuitBreaker, List)", record)
            put("GroupLimits.Window.<init>(int, Duration, WindowAnchor)", "a window as GroupLimits.windows() reads it; perWindow, which has twins, adds one")
            put("PauseRule.<init>(Class, Function)", "a rule as ExecuteOptions.pauseOn makes it; pauseOnFailure is its twin")
            put("GroupEvents.paused(String, Instant, Duration)", "called by a group backend (the SPI) to report a pause, not by a bot's code")
            put("Sleeper.sleep(Duration)", "an interface users implement, not call: a twin would be a second interface")
        }
    }
}
