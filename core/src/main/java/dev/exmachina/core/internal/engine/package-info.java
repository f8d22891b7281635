/** Internal: the registry and the supervisor (run, stop, close, hooks). Not exported. */
@NullMarked
package dev.exmachina.core.internal.engine;

import org.jspecify.annotations.NullMarked;
