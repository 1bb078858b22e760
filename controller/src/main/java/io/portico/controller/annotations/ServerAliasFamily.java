package io.portico.controller.annotations;

import io.portico.router.route.HostnamePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code server-alias}: more names for every host of the Ingress, each serving every path of that
 * host (all Ingresses' paths, as an nginx server's names do). A comma-separated list of host names
 * or {@code *.} wildcards; nginx's regular-expression names ({@code ~^...}) and other forms are
 * reported and left out. A name that another Ingress serves itself stays that Ingress's (the
 * translator reports it).
 */
public final class ServerAliasFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "server-alias";

  private static final Set<String> ANNOTATIONS = Set.of("server-alias");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> value = values.get("server-alias");
    if (value.isEmpty() || value.get().isEmpty()) {
      return;
    }
    List<HostnamePattern> aliases = new ArrayList<>();
    for (String item : value.get().split(",")) {
      String alias = item.strip();
      if (alias.isEmpty()) {
        continue;
      }
      HostnamePattern pattern;
      try {
        pattern = alias.startsWith("~") ? null : HostnamePattern.of(alias);
      } catch (IllegalArgumentException e) {
        pattern = null;
      }
      if (pattern == null || pattern.kind() == HostnamePattern.Kind.ANY) {
        report.invalid(
            "server-alias",
            "\"" + alias + "\"",
            "a host name or a *. wildcard (regular-expression names are not supported)",
            "this alias is left out");
        continue;
      }
      if (!aliases.contains(pattern)) {
        aliases.add(pattern);
      }
    }
    policy.routing().serverAliases(aliases);
  }
}
