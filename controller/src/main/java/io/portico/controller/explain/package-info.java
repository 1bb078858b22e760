/** Explaining a URL: which rule answers it, why the others do not, and what serves it. */
package io.portico.controller.explain;
