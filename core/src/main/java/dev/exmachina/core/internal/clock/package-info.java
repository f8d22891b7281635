/** Internal: the system clock, its timer, and the wait loops on a clock. Not exported. */
@NullMarked
package dev.exmachina.core.internal.clock;

import org.jspecify.annotations.NullMarked;
