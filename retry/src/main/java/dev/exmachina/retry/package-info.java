/** Retry rules ({@link dev.exmachina.retry.RetryRule}) and ordered retry policies. */
@NullMarked
package dev.exmachina.retry;

import org.jspecify.annotations.NullMarked;
