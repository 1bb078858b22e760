/**
 * The cluster snapshot: an immutable view of the objects Portico reads, by kind ({@link
 * io.portico.controller.snapshot.ClusterSnapshot}), the registry of those kinds ({@link
 * io.portico.controller.snapshot.Kinds}) and the identity of an object ({@link
 * io.portico.controller.snapshot.ObjectKey}). Sources build snapshots; translation reads them.
 *
 * <h2>Replace, never modify</h2>
 *
 * <p>Every incremental cache of the change pipeline rests on one rule: <b>a source replaces an
 * object that changes and never modifies an object it has handed out</b>. Once an object is in a
 * snapshot, its content stays as it is for as long as anything holds it; a change arrives as
 * another object under the same key, with another {@code metadata.resourceVersion}.
 *
 * <p>So an object's version says what it holds, and the caches compare versions, not content and
 * not Java identity: two objects are the same version when they have the same {@code metadata.uid}
 * and the same {@code metadata.resourceVersion} ({@link
 * io.portico.controller.snapshot.ObjectVersions#same}). Objects from the API server carry both.
 * Objects read from manifest files, and objects a test puts into a snapshot, get synthetic ones as
 * they enter it: a uid that stays the same for the same kind, namespace and name, and a
 * resourceVersion computed from the object's content, which changes when its file's content for it
 * changes ({@link io.portico.controller.snapshot.ObjectVersions#assignSynthetic}).
 *
 * <p>What relies on the rule, and would serve stale results if a source broke it:
 *
 * <ul>
 *   <li>{@link io.portico.controller.snapshot.ClusterSnapshot#changedSince}: which objects of a
 *       kind differ from those of an earlier snapshot, by version, reading only the shards the two
 *       do not share;
 *   <li>the translator's results per Ingress, kept while the Ingress's version and the resolutions
 *       of its backends stay the same ({@code translate.IngressRulesStep});
 *   <li>the backend resolutions kept across translations ({@code translate.BackendResolver.Memo});
 *   <li>TLS key pairs parsed once per Secret version ({@code translate.TlsSecrets});
 *   <li>the informer store that keeps the copy it has when the same version arrives again ({@code
 *       source.ReplayKeepingStore});
 *   <li>the routing table's reuse of upstreams and their balancing state across tables (router),
 *       which sees the same {@code Backend} again only because the resolutions above are kept.
 * </ul>
 *
 * <p>Both sources keep the rule: the Kubernetes source hands out the informers' own copies, which
 * fabric8 replaces on every update, and trims their metadata once, on arrival, before the snapshot
 * holds them; the manifest source parses a changed file into new objects.
 */
@NullMarked
package io.portico.controller.snapshot;

import org.jspecify.annotations.NullMarked;
