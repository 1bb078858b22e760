/**
 * Translation: the pure function from a {@link io.portico.controller.snapshot.ClusterSnapshot} of
 * Kubernetes objects to a {@link io.portico.controller.translate.Translation} (the routing table,
 * the certificates by SNI name, and the findings about each object). No I/O, no clocks of its own,
 * no client calls: the Ingress specification lives here.
 */
package io.portico.controller.translate;
