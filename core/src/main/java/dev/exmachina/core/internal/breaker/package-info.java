/**
 * Internal: the circuit breaker's machinery (its immutable states and their transitions, the sliding
 * windows of outcomes, the breaker bound to a bot's clock). Not exported.
 */
@NullMarked
package dev.exmachina.core.internal.breaker;

import org.jspecify.annotations.NullMarked;
