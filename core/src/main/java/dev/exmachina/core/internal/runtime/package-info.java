/**
 * Internal: what a bot's handles see of their bot ({@link dev.exmachina.core.internal.runtime.BotRuntime}),
 * below the emit and execute packages that use it. Not exported.
 */
@NullMarked
package dev.exmachina.core.internal.runtime;

import org.jspecify.annotations.NullMarked;
