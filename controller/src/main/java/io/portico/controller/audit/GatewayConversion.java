package io.portico.controller.audit;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns Ingresses into the Gateway API objects that answer as they do: one Gateway per IngressClass
 * (an HTTP listener on port 80, and an HTTPS listener on 443 per TLS host with its Secret), one
 * HTTPRoute per Ingress and host, a second route per host redirecting plain HTTP to HTTPS where the
 * Ingress did, ReferenceGrants for Secrets in another namespace than the Gateway's. Canary
 * Ingresses become weighted {@code backendRefs} and header matches in their main Ingress's rules.
 * An Ingress carrying what Gateway API cannot carry safely (access control, protections, snippets)
 * is left as it is, and so are the hosts it serves, so that no route serves them without it.
 *
 * @param gatewayClass the {@code gatewayClassName} of the Gateways
 * @param gatewayNamespace where the Gateways go; empty for the namespace of their Ingresses when
 *     they share one, else {@code default}
 * @param experimental whether fields of the experimental channel may be written ({@code
 *     sessionPersistence})
 */
public record GatewayConversion(
    String gatewayClass, Optional<String> gatewayNamespace, boolean experimental) {

  static final String GROUP = "gateway.networking.k8s.io";
  private static final String V1 = GROUP + "/v1";
  private static final String HTTP = "http";
  private static final String DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";

  public GatewayConversion {
    requireNonNull(gatewayClass, "gatewayClass");
    requireNonNull(gatewayNamespace, "gatewayNamespace");
  }

  /**
   * The objects for the Ingresses of {@code selected} (with the class each names, empty for none).
   */
  public GatewayExport convert(
      ClusterSnapshot snapshot, Map<ObjectKey, Optional<String>> selected) {
    List<IngressPlan> plans = new ArrayList<>();
    for (ObjectKey key : selected.keySet()) {
      Ingress ingress = snapshot.ingress(key);
      if (ingress != null) {
        plans.add(new IngressPlan(ingress, snapshot, experimental));
      }
    }
    plans.sort(Comparator.comparing(GatewayConversion::created).thenComparing(p -> p.key));
    String fallbackName = defaultClass(snapshot).orElse("ingress");
    Map<String, List<IngressPlan>> byGateway = new TreeMap<>();
    for (IngressPlan plan : plans) {
      String name = selected.getOrDefault(plan.key, Optional.empty()).orElse(fallbackName);
      byGateway.computeIfAbsent(dnsLabel(name), k -> new ArrayList<>()).add(plan);
    }
    List<GatewayExport.Exported> gateways = new ArrayList<>();
    List<GatewayExport.Exported> grants = new ArrayList<>();
    List<GatewayExport.Exported> routes = new ArrayList<>();
    Map<ObjectKey, String> kept = new TreeMap<>();
    for (Map.Entry<String, List<IngressPlan>> group : byGateway.entrySet()) {
      new GatewayBuilder(group.getKey(), group.getValue(), snapshot)
          .build(gateways, grants, routes, kept);
    }
    List<String> header = new ArrayList<>();
    header.add(
        "Gateway API objects for "
            + plans.size()
            + (plans.size() == 1 ? " Ingress" : " Ingresses")
            + ", written by portico audit --to-gateway. Apply them beside the"
            + " Ingresses:");
    header.add(
        "a route serving a host name takes it over from the Ingresses on its port, and deleting"
            + " it hands the name back.");
    header.add(
        "The Gateways name GatewayClass "
            + gatewayClass
            + ", which must exist (the chart creates it with controller.gatewayApi.enabled).");
    if (!kept.isEmpty()) {
      header.add("");
      header.add("Left as Ingresses (no object below serves their hosts):");
      kept.forEach((key, why) -> header.add("  Ingress " + key + ": " + why));
    }
    List<GatewayExport.Exported> all = new ArrayList<>(gateways);
    all.addAll(grants);
    routes.sort(Comparator.comparing(GatewayExport.Exported::key));
    all.addAll(routes);
    return new GatewayExport(header, all, plans.size(), kept);
  }

  /** The Gateway of one IngressClass and what attaches to it. */
  private final class GatewayBuilder {
    private final String name;
    private final String namespace;
    private final List<IngressPlan> plans;
    private final ClusterSnapshot snapshot;
    private final Map<String, Map<String, Object>> listeners = new LinkedHashMap<>();
    // HTTPS listener name by host ("" for the listener without a host name).
    private final Map<String, String> httpsByHost = new LinkedHashMap<>();
    private final Map<String, Set<String>> foreignSecrets = new TreeMap<>();
    private final Map<ObjectKey, RouteDraft> routes = new LinkedHashMap<>();
    private final Set<String> routeNamespaces = new TreeSet<>();
    private final Map<String, ObjectKey> keptHosts = new TreeMap<>();
    private final List<String> gatewayNotes = new ArrayList<>();

    GatewayBuilder(String name, List<IngressPlan> plans, ClusterSnapshot snapshot) {
      this.name = name;
      this.plans = plans;
      this.snapshot = snapshot;
      Set<String> namespaces = new TreeSet<>();
      plans.forEach(p -> namespaces.add(p.key.namespace()));
      this.namespace =
          gatewayNamespace.orElse(
              namespaces.size() == 1 ? namespaces.iterator().next() : "default");
    }

    void build(
        List<GatewayExport.Exported> gateways,
        List<GatewayExport.Exported> grants,
        List<GatewayExport.Exported> out,
        Map<ObjectKey, String> kept) {
      for (IngressPlan plan : plans) {
        if (plan.kept()) {
          List<String> reasons = new ArrayList<>();
          plan.keptBecause.forEach((key, category) -> reasons.add(key + " (" + category + ")"));
          kept.put(
              plan.key,
              "keeps "
                  + String.join(", ", reasons)
                  + ": no Gateway API equivalent, so the Ingress stays as it is, with its hosts");
          hosts(plan.ingress).forEach(host -> keptHosts.putIfAbsent(host, plan.key));
        }
      }
      listeners.put(HTTP, listener(HTTP, "HTTP", 80, Optional.empty()));
      for (IngressPlan plan : plans) {
        if (!plan.kept() && !plan.canary) {
          tlsListeners(plan);
        }
      }
      for (IngressPlan plan : plans) {
        if (!plan.kept() && !plan.canary) {
          routes(plan);
        }
      }
      for (IngressPlan plan : plans) {
        if (!plan.kept() && plan.canary) {
          List<String> alone = new CanaryMerge(plan, routes.values(), this::backendRef).merge();
          if (!alone.isEmpty()) {
            kept.put(
                plan.key,
                "a canary whose main rule is not converted here: " + String.join(", ", alone));
          }
        }
      }
      for (IngressPlan plan : plans) {
        boolean routed = routes.values().stream().anyMatch(r -> r.plan == plan);
        if (!plan.kept() && !plan.canary && !routed && !hosts(plan.ingress).isEmpty()) {
          List<String> hosts = new ArrayList<>();
          hosts(plan.ingress)
              .forEach(h -> hosts.add(hostText(h) + " (Ingress " + keptHosts.get(h) + " is kept)"));
          kept.put(plan.key, "its hosts stay with the Ingresses: " + String.join(", ", hosts));
        }
      }
      aliases();
      gateways.add(gateway());
      foreignSecrets.forEach((ns, secrets) -> grants.add(grant(ns, secrets)));
      routes.values().forEach(route -> out.addAll(route.export(V1)));
    }

    private GatewayExport.Exported gateway() {
      if (routeNamespaces.stream().anyMatch(ns -> !ns.equals(namespace))) {
        listeners
            .values()
            .forEach(l -> l.put("allowedRoutes", Map.of("namespaces", Map.of("from", "All"))));
      }
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("gatewayClassName", gatewayClass);
      spec.put("listeners", new ArrayList<>(listeners.values()));
      List<String> notes = new ArrayList<>();
      notes.add(
          "Gateway "
              + namespace
              + "/"
              + name
              + ": the Ingresses of class "
              + name
              + ". Port 80 is Portico's HTTP listener and 443 its HTTPS listener.");
      notes.add(
          "One HTTPS listener per TLS host; hosts without one are served on plain HTTP only"
              + " (Portico answered HTTPS for them with its default certificate).");
      if (!httpsByHost.isEmpty()) {
        notes.add(
            "Portico adds Strict-Transport-Security to the HTTPS answers of an Ingress's TLS"
                + " hosts; HTTPRoutes answer without it unless a ResponseHeaderModifier sets it.");
      }
      notes.addAll(gatewayNotes);
      return new GatewayExport.Exported(
          "Gateway",
          new ObjectKey(namespace, name),
          object("Gateway", namespace, name, spec),
          notes);
    }

    private GatewayExport.Exported grant(String secretNamespace, Set<String> secrets) {
      String grantName = dnsLabel(namespace + "-" + name + "-certificates");
      Map<String, Object> from = new LinkedHashMap<>();
      from.put("group", GROUP);
      from.put("kind", "Gateway");
      from.put("namespace", namespace);
      List<Map<String, Object>> to = new ArrayList<>();
      for (String secret : secrets) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("group", "");
        ref.put("kind", "Secret");
        ref.put("name", secret);
        to.add(ref);
      }
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("from", List.of(from));
      spec.put("to", to);
      Map<String, Object> body = object("ReferenceGrant", secretNamespace, grantName, spec);
      body.put("apiVersion", GROUP + "/v1beta1");
      return new GatewayExport.Exported(
          "ReferenceGrant",
          new ObjectKey(secretNamespace, grantName),
          body,
          List.of(
              "ReferenceGrant: Gateway "
                  + namespace
                  + "/"
                  + name
                  + " may use these TLS Secrets of namespace "
                  + secretNamespace));
    }

    private void tlsListeners(IngressPlan plan) {
      List<IngressTLS> tls = plan.ingress.getSpec().getTls();
      if (tls == null) {
        return;
      }
      for (IngressTLS entry : tls) {
        if (entry.getSecretName() == null || entry.getSecretName().isEmpty()) {
          continue;
        }
        List<String> hosts =
            entry.getHosts() == null || entry.getHosts().isEmpty() ? List.of("") : entry.getHosts();
        for (String host : hosts) {
          if (keptHosts.containsKey(host)) {
            continue;
          }
          String existing = httpsByHost.get(host);
          if (existing != null) {
            continue;
          }
          String listenerName = host.isEmpty() ? "https" : dnsLabel("https-" + slug(host));
          Map<String, Object> ref = new LinkedHashMap<>();
          ref.put("name", entry.getSecretName());
          if (snapshot.secret(new ObjectKey(plan.key.namespace(), entry.getSecretName())) == null) {
            gatewayNotes.add(
                "listener "
                    + listenerName
                    + ": Secret "
                    + plan.key.namespace()
                    + "/"
                    + entry.getSecretName()
                    + " not found: the listener's ResolvedRefs is False (InvalidCertificateRef) until"
                    + " it exists");
          }
          if (!plan.key.namespace().equals(namespace)) {
            ref.put("namespace", plan.key.namespace());
            foreignSecrets
                .computeIfAbsent(plan.key.namespace(), k -> new TreeSet<>())
                .add(entry.getSecretName());
          }
          Map<String, Object> https =
              listener(
                  listenerName,
                  "HTTPS",
                  443,
                  host.isEmpty() ? Optional.empty() : Optional.of(host));
          https.put("tls", Map.of("certificateRefs", List.of(ref)));
          listeners.put(listenerName, https);
          httpsByHost.put(host, listenerName);
        }
      }
    }

    /**
     * server-alias names join every route of their Ingress's hosts, from whichever Ingress, as they
     * serve all paths of the host; a name an Ingress serves itself, or one left as Ingress, stays
     * as it is.
     */
    private void aliases() {
      Set<String> hosts = new TreeSet<>();
      plans.forEach(p -> hosts.addAll(hosts(p.ingress)));
      Map<String, Set<String>> byHost = new TreeMap<>();
      for (IngressPlan plan : plans) {
        if (plan.kept() || plan.canary || plan.aliases.isEmpty()) {
          continue;
        }
        for (String host : hosts(plan.ingress)) {
          if (!host.isEmpty() && !keptHosts.containsKey(host)) {
            for (String alias : plan.aliases) {
              if (!hosts.contains(alias)) {
                byHost.computeIfAbsent(host, k -> new TreeSet<>()).add(alias);
              }
            }
          }
        }
      }
      for (RouteDraft route : routes.values()) {
        route.aliases.addAll(byHost.getOrDefault(route.host, Set.of()));
      }
    }

    private void routes(IngressPlan plan) {
      Map<String, List<HTTPIngressPath>> byHost = new LinkedHashMap<>();
      List<IngressRule> rules = plan.ingress.getSpec().getRules();
      if (rules != null) {
        for (IngressRule rule : rules) {
          String host = rule.getHost() == null ? "" : rule.getHost();
          List<HTTPIngressPath> paths = byHost.computeIfAbsent(host, k -> new ArrayList<>());
          if (rule.getHttp() != null && rule.getHttp().getPaths() != null) {
            paths.addAll(rule.getHttp().getPaths());
          }
        }
      }
      boolean single = byHost.size() == 1;
      for (Map.Entry<String, List<HTTPIngressPath>> host : byHost.entrySet()) {
        if (keptHosts.containsKey(host.getKey())) {
          plan.notes.add(
              IngressPlan.NOT_CONVERTED
                  + "host "
                  + hostText(host.getKey())
                  + ": stays with the Ingresses, as Ingress "
                  + keptHosts.get(host.getKey())
                  + " is kept");
          continue;
        }
        String routeName =
            single ? plan.key.name() : dnsLabel(plan.key.name() + "-" + slug(host.getKey()));
        route(plan, host.getKey(), routeName, host.getValue());
      }
      IngressBackend fallback = plan.ingress.getSpec().getDefaultBackend();
      if (fallback != null) {
        RouteDraft route =
            newRoute(plan, "", dnsLabel(plan.key.name() + "-default-backend"), List.of(HTTP));
        route.notes.add(
            "spec.defaultBackend: answers the requests no other rule of this Gateway matches,"
                + " on plain HTTP");
        RuleDraft rule = new RuleDraft("", "/", "Prefix");
        rule.match.put("path", pathMatch("PathPrefix", "/"));
        backendRef(plan.key.namespace(), fallback, rule.notes).ifPresent(rule.backendRefs::add);
        route.rules.add(rule);
      }
    }

    private void route(
        IngressPlan plan, String host, String routeName, List<HTTPIngressPath> paths) {
      boolean redirect = plan.forceSslRedirect || (plan.sslRedirect && tlsHost(plan.ingress, host));
      List<String> sections = new ArrayList<>();
      Optional<String> https = httpsListener(host);
      if (!redirect) {
        sections.add(HTTP);
      }
      https.ifPresent(sections::add);
      List<RuleDraft> rules = new ArrayList<>();
      plan.appRoot.ifPresent(
          root -> {
            RuleDraft rule = new RuleDraft(host, "/", "Exact");
            rule.match.put("path", pathMatch("Exact", "/"));
            Map<String, Object> to = new LinkedHashMap<>();
            to.put("path", pathModifier("ReplaceFullPath", "replaceFullPath", root));
            to.put("statusCode", 302);
            rule.filters.add(IngressPlan.filter("RequestRedirect", "requestRedirect", to));
            rules.add(rule);
          });
      for (HTTPIngressPath path : paths) {
        rules.add(rule(plan, host, path));
      }
      if (!sections.isEmpty()) {
        RouteDraft route = newRoute(plan, host, routeName, sections);
        route.rules.addAll(rules);
      }
      if (redirect) {
        RouteDraft route =
            newRoute(plan, host, dnsLabel(routeName + "-https-redirect"), List.of(HTTP));
        route.redirectsToHttps = true;
        if (https.isEmpty()) {
          route.notes.add(
              "No TLS Secret for "
                  + hostText(host)
                  + ", so no HTTPS listener and no route serving it there: add both, the"
                  + " Ingress's rules are "
                  + rules.size()
                  + " rule(s) like the ones below with its backends");
        }
        route.notes.add(
            "Plain HTTP to "
                + hostText(host)
                + " is redirected to HTTPS (308), as the Ingress's TLS section (or"
                + " force-ssl-redirect) did. The redirect keeps a trailing slash, which"
                + " ingress-nginx drops unless preserve-trailing-slash is set.");
        for (RuleDraft rule : rules) {
          RuleDraft copy = new RuleDraft(host, rule.path, rule.pathType);
          copy.match.putAll(rule.match);
          Map<String, Object> to = new LinkedHashMap<>();
          to.put("scheme", "https");
          to.put("statusCode", 308);
          copy.filters.add(IngressPlan.filter("RequestRedirect", "requestRedirect", to));
          route.rules.add(copy);
        }
      }
    }

    private RuleDraft rule(IngressPlan plan, String host, HTTPIngressPath path) {
      String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
      String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
      RuleDraft rule = new RuleDraft(host, value, type);
      Map<String, Object> rewrite = new LinkedHashMap<>();
      if (plan.regexPaths) {
        Optional<RegexPath> regex = RegexPath.of(value, plan.rewriteTarget);
        if (regex.isPresent()) {
          rule.match.put("path", pathMatch(regex.get().type(), regex.get().value()));
          regex
              .get()
              .rewriteType()
              .ifPresent(
                  kind -> {
                    String field =
                        kind.equals("ReplaceFullPath") ? "replaceFullPath" : "replacePrefixMatch";
                    rewrite.put(
                        "path",
                        pathModifier(kind, field, regex.get().rewriteValue().orElseThrow()));
                    rule.notes.add(
                        "path "
                            + value
                            + ": "
                            + regex.get().type()
                            + " "
                            + regex.get().value()
                            + ", rewrite-target "
                            + plan.rewriteTarget.orElseThrow()
                            + " as "
                            + kind
                            + " "
                            + regex.get().rewriteValue().orElseThrow());
                  });
          regex.get().caveat().ifPresent(c -> rule.notes.add("path " + value + ": " + c));
        } else {
          rule.match.put("path", pathMatch("RegularExpression", value + ".*"));
          rule.notes.add(
              "path "
                  + value
                  + ": rewrite-target "
                  + plan.rewriteTarget.orElseThrow()
                  + " is not convertible (a URLRewrite replaces a prefix or the whole path, it"
                  + " cannot reorder captures): the backend sees the path unchanged");
        }
      } else {
        rule.match.put("path", pathMatch(type.equals("Exact") ? "Exact" : "PathPrefix", value));
      }
      plan.hostRewrite.ifPresent(h -> rewrite.put("hostname", h));
      if (plan.redirect.isPresent()) {
        rule.filters.add(plan.redirect.get());
        return rule;
      }
      rule.filters.addAll(plan.filters);
      if (rewrite.containsKey("path") && plan.forwardedPrefix.isPresent()) {
        rule.filters.add(
            IngressPlan.filter(
                "RequestHeaderModifier",
                "requestHeaderModifier",
                Map.of(
                    "set",
                    List.of(
                        IngressPlan.header("X-Forwarded-Prefix", plan.forwardedPrefix.get())))));
      }
      if (!rewrite.isEmpty()) {
        rule.filters.add(IngressPlan.filter("URLRewrite", "urlRewrite", rewrite));
      }
      rule.sessionPersistence = plan.sessionPersistence;
      backendRef(plan.key.namespace(), path.getBackend(), rule.notes)
          .ifPresent(rule.backendRefs::add);
      return rule;
    }

    private RouteDraft newRoute(
        IngressPlan plan, String host, String routeName, List<String> sections) {
      ObjectKey key = new ObjectKey(plan.key.namespace(), routeName);
      RouteDraft route = new RouteDraft(key, plan, host, namespace, name, sections);
      routes.put(key, route);
      routeNamespaces.add(plan.key.namespace());
      return route;
    }

    private Optional<String> httpsListener(String host) {
      String exact = httpsByHost.get(host);
      if (exact != null) {
        return Optional.of(exact);
      }
      int dot = host.indexOf('.');
      if (dot > 0) {
        String wildcard = httpsByHost.get("*" + host.substring(dot));
        if (wildcard != null) {
          return Optional.of(wildcard);
        }
      }
      return Optional.ofNullable(httpsByHost.get(""));
    }

    /** A backendRef for an Ingress backend; empty (with a note) when it names no Service port. */
    Optional<Map<String, Object>> backendRef(
        String ingressNamespace, IngressBackend backend, List<String> notes) {
      if (backend == null || backend.getService() == null) {
        notes.add("a resource backend has no Gateway API equivalent: the rule answers 500");
        return Optional.empty();
      }
      String service = backend.getService().getName();
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("name", service);
      var port = backend.getService().getPort();
      if (port != null && port.getNumber() != null) {
        ref.put("port", port.getNumber());
        return Optional.of(ref);
      }
      String portName = port == null ? "" : port.getName();
      Service found = snapshot.service(new ObjectKey(ingressNamespace, service));
      if (found != null && found.getSpec() != null && found.getSpec().getPorts() != null) {
        for (ServicePort servicePort : found.getSpec().getPorts()) {
          if (portName.equals(servicePort.getName())) {
            ref.put("port", servicePort.getPort());
            return Optional.of(ref);
          }
        }
      }
      notes.add(
          "Service "
              + ingressNamespace
              + "/"
              + service
              + " port "
              + portName
              + ": not found, so its number is unknown and the rule has no backendRef (it"
              + " answers 500): add {name: "
              + service
              + ", port: NUMBER}");
      return Optional.empty();
    }
  }

  private Map<String, Object> listener(
      String listenerName, String protocol, int port, Optional<String> hostname) {
    Map<String, Object> listener = new LinkedHashMap<>();
    listener.put("name", listenerName);
    listener.put("protocol", protocol);
    listener.put("port", port);
    hostname.ifPresent(h -> listener.put("hostname", h));
    return listener;
  }

  static Map<String, Object> object(
      String kind, String namespace, String name, Map<String, ?> spec) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", V1);
    body.put("kind", kind);
    body.put("metadata", metadata);
    body.put("spec", spec);
    return body;
  }

  /** A redirect's or rewrite's {@code path}: its type, then the field of that type. */
  static Map<String, Object> pathModifier(String type, String field, String value) {
    Map<String, Object> path = new LinkedHashMap<>();
    path.put("type", type);
    path.put(field, value);
    return path;
  }

  static Map<String, Object> pathMatch(String type, String value) {
    Map<String, Object> path = new LinkedHashMap<>();
    path.put("type", type);
    path.put("value", value);
    return path;
  }

  private static boolean tlsHost(Ingress ingress, String host) {
    List<IngressTLS> tls = ingress.getSpec().getTls();
    if (tls == null) {
      return false;
    }
    for (IngressTLS entry : tls) {
      if (entry.getHosts() != null && entry.getHosts().contains(host)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> hosts(Ingress ingress) {
    Set<String> hosts = new LinkedHashSet<>();
    if (ingress.getSpec().getRules() != null) {
      for (IngressRule rule : ingress.getSpec().getRules()) {
        hosts.add(rule.getHost() == null ? "" : rule.getHost());
      }
    }
    if (ingress.getSpec().getDefaultBackend() != null) {
      hosts.add("");
    }
    return hosts;
  }

  static String hostText(String host) {
    return host.isEmpty() ? "every host" : host;
  }

  private static String created(IngressPlan plan) {
    String created = plan.ingress.getMetadata().getCreationTimestamp();
    return created == null ? "" : created;
  }

  private static Optional<String> defaultClass(ClusterSnapshot snapshot) {
    for (IngressClass ingressClass : snapshot.ingressClasses()) {
      Map<String, String> annotations = ingressClass.getMetadata().getAnnotations();
      if (annotations != null && "true".equalsIgnoreCase(annotations.get(DEFAULT_CLASS))) {
        return Optional.of(ingressClass.getMetadata().getName());
      }
    }
    return Optional.empty();
  }

  private static String slug(String host) {
    return host.isEmpty() ? "default" : host.replace("*", "wildcard").replace('.', '-');
  }

  /** A name Kubernetes and a listener's sectionName accept: lower case, digits and dashes. */
  static String dnsLabel(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    lower = lower.replaceAll("^-+|-+$", "");
    if (lower.length() > 63) {
      lower = lower.substring(0, 63).replaceAll("-+$", "");
    }
    return lower.isEmpty() ? "ingress" : lower;
  }
}
