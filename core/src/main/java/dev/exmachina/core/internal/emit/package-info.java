/** Internal: an emit's loop, its state machine and its {@code Event}. Not exported. */
@NullMarked
package dev.exmachina.core.internal.emit;

import org.jspecify.annotations.NullMarked;
