/**
 * {@code portico audit}: what Portico would do with a team's Ingresses, whatever class they name
 * today, before it serves any of them. It reads the objects once (a folder, or the cluster with
 * list calls only), translates them as if every selected Ingress were Portico's, and reports each
 * Ingress's annotations with their fate, the Ingresses that would be refused and why, and the other
 * problems translation finds.
 */
@NullMarked
package io.portico.controller.audit;

import org.jspecify.annotations.NullMarked;
