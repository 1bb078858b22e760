package io.portico.controller.translate;

import org.jspecify.annotations.Nullable;

/**
 * An owned Ingress that one translation added, replaced or removed.
 *
 * @param before what it gave until now; {@code null} when it was not Portico's
 * @param after what it gives from now on; {@code null} when it no longer is Portico's (or exists)
 */
record IngressChange(@Nullable OwnedIngress before, @Nullable OwnedIngress after) {}
