package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ingress-rules}: what each owned Ingress gives on its own ({@link IngressRules}: its rules
 * with their annotations, its default backend, its backends resolved, its warnings).
 *
 * <p>Only the Ingresses that may give something else than last time are read again: those whose
 * version changed, those that name a Service whose object, EndpointSlices or Endpoints changed,
 * those that looked up a ConfigMap (response headers) or a Secret (basic auth) that changed, and
 * all of them when ownership or the controller config may have changed. An Ingress of the same
 * version whose backends resolve to the very same resolutions keeps its part. Each Ingress that
 * changed is passed on to the later steps as an {@link IngressChange}.
 */
final class IngressRulesStep implements TranslationStep {

  @Override
  public String name() {
    return "ingress-rules";
  }

  @Override
  public void apply(TranslationRun run) {
    Owned owned = run.state().ingresses;
    ClusterSnapshot snapshot = run.snapshot();
    IngressOwnership ownership = run.ownership();
    BackendResolver resolver = run.resolver();
    Set<ObjectKey> readingChangedConfigMaps = readingChangedConfigMaps(run, owned);
    readingChangedConfigMaps.addAll(readingChangedSecrets(run, owned));
    Set<ObjectKey> toRead = toRead(run, owned);
    toRead.addAll(readingChangedConfigMaps);
    for (ObjectKey key : toRead) {
      OwnedIngress before = owned.byKey.get(key);
      Ingress ingress = snapshot.ingress(key);
      OwnedIngress after = null;
      if (ingress != null && ownership.owns(ingress)) {
        // A part keeps while its Ingress, its backends, the ConfigMaps and Secrets and the config
        // it read stay the same.
        if (before != null
            && !run.configChanged()
            && !readingChangedConfigMaps.contains(key)
            && before.version().isVersionOf(ingress)
            && before.part().stillValid(resolver)) {
          continue;
        }
        after =
            OwnedIngress.of(
                ingress,
                IngressRules.of(
                    ingress,
                    resolver,
                    run.annotationReader(),
                    run.config(),
                    run.settings().defaultBackend(),
                    snapshot));
      }
      if (before != null) {
        owned.remove(before);
      }
      if (after != null) {
        owned.add(after);
      }
      if (before != null || after != null) {
        run.ingressChanged(new IngressChange(before, after));
      }
    }
    owned.forgetOrphans(run.state().resolutions);
    for (OwnedIngress o : owned.withFindings) {
      o.part().findings().forEach(run::report);
    }
    run.ownedIngresses(owned.orderKeys);
    run.referencedServices(owned.referencedServices());
    run.referencedConfigMaps(owned.configMapDependents.keySet());
    run.referencedAuthSecrets(owned.secretDependents.keySet());
    run.annotations(owned.annotations());
  }

  /** The owned Ingresses that looked up a ConfigMap that changed since the last translation. */
  private static Set<ObjectKey> readingChangedConfigMaps(TranslationRun run, Owned owned) {
    ClusterSnapshot previous = run.previous();
    if (previous == null || owned.configMapDependents.isEmpty()) {
      return new HashSet<>();
    }
    Set<ObjectKey> keys = new HashSet<>();
    for (ObjectKey configMap : run.snapshot().changedSince(Kinds.CONFIG_MAP, previous)) {
      keys.addAll(owned.configMapDependents.getOrDefault(configMap, Set.of()));
    }
    return keys;
  }

  /** The owned Ingresses that looked up a Secret that changed since the last translation. */
  private static Set<ObjectKey> readingChangedSecrets(TranslationRun run, Owned owned) {
    ClusterSnapshot previous = run.previous();
    if (previous == null || owned.secretDependents.isEmpty()) {
      return Set.of();
    }
    Set<ObjectKey> keys = new HashSet<>();
    for (ObjectKey secret : run.snapshot().changedSince(Kinds.SECRET, previous)) {
      keys.addAll(owned.secretDependents.getOrDefault(secret, Set.of()));
    }
    return keys;
  }

  /** The Ingresses that may give something else than in the last translation. */
  private static Set<ObjectKey> toRead(TranslationRun run, Owned owned) {
    ClusterSnapshot snapshot = run.snapshot();
    Set<ObjectKey> keys = new HashSet<>();
    if (run.ownershipMayHaveChanged() || run.configChanged()) {
      snapshot.ingresses().forEach(ingress -> keys.add(ObjectKey.of(ingress)));
      keys.addAll(owned.byKey.keySet());
      return keys;
    }
    // Ownership may have changed for all when translating from scratch: there is a previous here.
    ClusterSnapshot previous = requireNonNull(run.previous(), "previous");
    keys.addAll(snapshot.changedSince(Kinds.INGRESS, previous));
    Set<ObjectKey> services = new HashSet<>(snapshot.changedSince(Kinds.SERVICE, previous));
    services.addAll(snapshot.changedSince(Kinds.ENDPOINT_SLICE, previous));
    services.addAll(snapshot.changedSince(Kinds.ENDPOINTS, previous));
    for (ObjectKey service : services) {
      keys.addAll(owned.dependents.getOrDefault(service, Set.of()));
    }
    return keys;
  }

  /** The owned Ingresses, in processing order, and the Services they name. */
  static final class Owned {
    private final Map<ObjectKey, OwnedIngress> byKey = new HashMap<>();
    // Oldest first, and their keys in the same order.
    private final List<OwnedIngress> order = new ArrayList<>();
    private final List<ObjectKey> orderKeys = new ArrayList<>();
    private final List<OwnedIngress> withTls = new ArrayList<>();
    private final Set<OwnedIngress> withFindings =
        Collections.newSetFromMap(new IdentityHashMap<>());
    // Which owned Ingresses name each Service (for changes to it).
    private final Map<ObjectKey, Set<ObjectKey>> dependents = new HashMap<>();
    // Which owned Ingresses looked up each ConfigMap (for changes to it).
    private final Map<ObjectKey, Set<ObjectKey>> configMapDependents = new HashMap<>();
    // Which owned Ingresses looked up each Secret for their annotations (for changes to it).
    private final Map<ObjectKey, Set<ObjectKey>> secretDependents = new HashMap<>();
    // Services that lost their last Ingress in this translation; forgotten at its end, unless one
    // came back.
    private final Set<ObjectKey> orphaned = new HashSet<>();
    private Set<ObjectKey> referencedServices = Set.of();
    private boolean referencesChanged = true;
    // What became of the owned Ingresses' annotations, kept up to date as Ingresses come and go.
    private final Map<ObjectKey, AnnotationVerdict> verdicts = new HashMap<>();
    private final Map<ObjectKey, RefusedIngress> refused = new HashMap<>();
    private final Map<AnnotationUse, Integer> uses = new HashMap<>();
    private IngressAnnotations annotations = IngressAnnotations.NONE;
    private boolean annotationsChanged;

    /** The owned Ingresses with a {@code spec.tls} section, oldest first. */
    List<OwnedIngress> withTls() {
      return withTls;
    }

    private void add(OwnedIngress o) {
      byKey.put(o.key(), o);
      int at = insertionPoint(order, o);
      order.add(at, o);
      orderKeys.add(at, o.key());
      if (o.hasTls()) {
        withTls.add(insertionPoint(withTls, o), o);
      }
      if (!o.part().findings().isEmpty()) {
        withFindings.add(o);
      }
      annotated(o, 1);
      for (ObjectKey configMap : o.part().configMaps()) {
        configMapDependents.computeIfAbsent(configMap, c -> new HashSet<>()).add(o.key());
      }
      for (ObjectKey secret : o.part().secrets()) {
        secretDependents.computeIfAbsent(secret, c -> new HashSet<>()).add(o.key());
      }
      for (ObjectKey service : services(o)) {
        Set<ObjectKey> users = dependents.computeIfAbsent(service, s -> new HashSet<>());
        if (users.isEmpty() && !orphaned.remove(service)) {
          referencesChanged = true;
        }
        users.add(o.key());
      }
    }

    private void remove(OwnedIngress o) {
      byKey.remove(o.key());
      int at = Collections.binarySearch(order, o, OwnedIngress.OLDEST_FIRST);
      order.remove(at);
      orderKeys.remove(at);
      if (o.hasTls()) {
        withTls.remove(Collections.binarySearch(withTls, o, OwnedIngress.OLDEST_FIRST));
      }
      withFindings.remove(o);
      annotated(o, -1);
      for (ObjectKey configMap : o.part().configMaps()) {
        Set<ObjectKey> users = requireNonNull(configMapDependents.get(configMap), "users");
        users.remove(o.key());
        if (users.isEmpty()) {
          configMapDependents.remove(configMap);
        }
      }
      for (ObjectKey secret : o.part().secrets()) {
        Set<ObjectKey> users = requireNonNull(secretDependents.get(secret), "users");
        users.remove(o.key());
        if (users.isEmpty()) {
          secretDependents.remove(secret);
        }
      }
      for (ObjectKey service : services(o)) {
        Set<ObjectKey> users = requireNonNull(dependents.get(service), "users");
        users.remove(o.key());
        if (users.isEmpty()) {
          dependents.remove(service);
          orphaned.add(service);
        }
      }
    }

    /** Counts an Ingress's annotations in ({@code +1}) or out ({@code -1}). */
    private void annotated(OwnedIngress o, int sign) {
      AnnotationVerdict verdict = o.part().annotations();
      if (verdict.entries().isEmpty()) {
        return;
      }
      annotationsChanged = true;
      ObjectKey key = o.key();
      if (sign > 0) {
        verdicts.put(key, verdict);
        o.part().refusal().ifPresent(r -> refused.put(key, r));
      } else {
        verdicts.remove(key);
        refused.remove(key);
      }
      for (AnnotationVerdict.Entry entry : verdict.entries()) {
        uses.merge(
            new AnnotationUse(entry.metricState(), entry.metricName()),
            sign,
            (a, b) -> a + b == 0 ? null : a + b);
      }
    }

    /** What became of the owned Ingresses' annotations; the same object while nothing changed. */
    private IngressAnnotations annotations() {
      if (annotationsChanged) {
        annotations = new IngressAnnotations(verdicts, refused, uses);
        annotationsChanged = false;
      }
      return annotations;
    }

    /** Drops the resolutions of Services no owned Ingress names any more. */
    private void forgetOrphans(BackendResolver.Memo resolutions) {
      for (ObjectKey service : orphaned) {
        resolutions.forget(service);
        referencesChanged = true;
      }
      orphaned.clear();
    }

    /** The Services the owned Ingresses name; the same set while that does not change. */
    private Set<ObjectKey> referencedServices() {
      if (referencesChanged) {
        referencedServices = Set.copyOf(dependents.keySet());
        referencesChanged = false;
      }
      return referencedServices;
    }

    private static int insertionPoint(List<OwnedIngress> list, OwnedIngress o) {
      int at = Collections.binarySearch(list, o, OwnedIngress.OLDEST_FIRST);
      return at >= 0 ? at : -at - 1;
    }

    private static Set<ObjectKey> services(OwnedIngress o) {
      Set<ObjectKey> services = new HashSet<>();
      o.part().dependencies().forEach(d -> services.add(d.service()));
      return services;
    }
  }
}
