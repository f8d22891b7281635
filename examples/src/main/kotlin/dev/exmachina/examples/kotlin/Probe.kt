package dev.exmachina.examples.kotlin

/** Temporary: proves the Kotlin build sees the JDK 25 class library. */
fun virtualThreadName(): String {
    val t = Thread.ofVirtual().name("probe").unstarted {}
    return t.name + ":" + Runtime.version().feature()
}
