package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads ReferenceGrants of both served versions ({@code v1} and {@code v1beta1}), which have the
 * same fields in different fabric8 classes.
 */
final class GrantReader {

  /** A {@code from} or {@code to} entry as written, whichever the version. */
  record Entry(String group, String kind, String namespaceOrName) {}

  private GrantReader() {}

  static Read<ReferenceGrantView> v1(
      io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant grant) {
    var spec = grant.getSpec();
    return read(
        grant,
        spec == null,
        spec == null
            ? List.of()
            : Lists.of(spec.getFrom()).stream()
                .map(f -> new Entry(f.getGroup(), f.getKind(), f.getNamespace()))
                .toList(),
        spec == null
            ? List.of()
            : Lists.of(spec.getTo()).stream()
                .map(t -> new Entry(t.getGroup(), t.getKind(), t.getName()))
                .toList());
  }

  static Read<ReferenceGrantView> v1beta1(
      io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant grant) {
    var spec = grant.getSpec();
    return read(
        grant,
        spec == null,
        spec == null
            ? List.of()
            : Lists.of(spec.getFrom()).stream()
                .map(f -> new Entry(f.getGroup(), f.getKind(), f.getNamespace()))
                .toList(),
        spec == null
            ? List.of()
            : Lists.of(spec.getTo()).stream()
                .map(t -> new Entry(t.getGroup(), t.getKind(), t.getName()))
                .toList());
  }

  private static Read<ReferenceGrantView> read(
      HasMetadata grant, boolean noSpec, List<Entry> from, List<Entry> to) {
    FieldErrors errors = new FieldErrors();
    if (noSpec) {
      errors.required("spec");
      return Read.of(errors, () -> null);
    }
    errors.size("spec.from", from, 1, 16);
    errors.size("spec.to", to, 1, 16);
    List<ReferenceGrantView.From> froms = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      Entry entry = from.get(i);
      String field = "spec.from[" + i + "]";
      boolean ok =
          errors.text(field + ".group", entry.group, Formats.GROUP, 0, 253, "an API group");
      ok &= errors.text(field + ".kind", entry.kind, Formats.KIND, 1, 63, "a kind");
      ok &=
          errors.text(
              field + ".namespace", entry.namespaceOrName, Formats.NAMESPACE, 1, 63, "a namespace");
      if (ok) {
        froms.add(new ReferenceGrantView.From(entry.group, entry.kind, entry.namespaceOrName));
      }
    }
    List<ReferenceGrantView.To> tos = new ArrayList<>();
    for (int i = 0; i < to.size(); i++) {
      Entry entry = to.get(i);
      String field = "spec.to[" + i + "]";
      boolean ok =
          errors.text(field + ".group", entry.group, Formats.GROUP, 0, 253, "an API group");
      ok &= errors.text(field + ".kind", entry.kind, Formats.KIND, 1, 63, "a kind");
      ok &= errors.optionalText(field + ".name", entry.namespaceOrName, null, 1, 253, "a name");
      if (ok) {
        tos.add(
            new ReferenceGrantView.To(
                entry.group, entry.kind, Optional.ofNullable(entry.namespaceOrName)));
      }
    }
    return Read.of(errors, () -> new ReferenceGrantView(ObjectFacts.of(grant), froms, tos));
  }
}
