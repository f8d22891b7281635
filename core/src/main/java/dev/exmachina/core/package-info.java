/** Bots: {@link dev.exmachina.core.Machina}, its emits, executes and concurrent groups. */
@NullMarked
package dev.exmachina.core;

import org.jspecify.annotations.NullMarked;
