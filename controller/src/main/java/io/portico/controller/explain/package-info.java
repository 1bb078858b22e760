/** Explaining a URL: which rule answers it, why the others do not, and what serves it. */
@NullMarked
package io.portico.controller.explain;

import org.jspecify.annotations.NullMarked;
