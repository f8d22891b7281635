/** {@link dev.exmachina.testkit.VirtualClock} and its JUnit 5 extension. */
@NullMarked
package dev.exmachina.testkit;

import org.jspecify.annotations.NullMarked;
