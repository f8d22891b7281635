/**
 * What other modules implement for core: the group backend, which decides for concurrent groups
 * (slots, window starts, give-backs) while core does the waiting on its clock.
 *
 * <p>Exported so that a module such as {@code exmachina-redis} can implement it; a bot's own code
 * never needs it.
 */
@NullMarked
package dev.exmachina.core.spi;

import org.jspecify.annotations.NullMarked;
