/**
 * Internal: a bot's engine, made in one place ({@link dev.exmachina.core.internal.engine.Engine}): the
 * registry, the run state with its named phases, and the supervisor (run, stop, close, hooks, and the
 * host of the emits). Not exported.
 */
@NullMarked
package dev.exmachina.core.internal.engine;

import org.jspecify.annotations.NullMarked;
