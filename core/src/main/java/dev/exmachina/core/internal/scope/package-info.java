/** Internal: the structured scopes emits and forks run in. Not exported. */
@NullMarked
package dev.exmachina.core.internal.scope;

import org.jspecify.annotations.NullMarked;
