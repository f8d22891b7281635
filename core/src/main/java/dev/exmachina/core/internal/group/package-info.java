/** Internal: the in-memory concurrent group (FIFO slots, sliding start window). Not exported. */
@NullMarked
package dev.exmachina.core.internal.group;

import org.jspecify.annotations.NullMarked;
