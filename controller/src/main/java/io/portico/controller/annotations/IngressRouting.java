package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.RewriteTemplate;
import io.portico.router.route.HostnamePattern;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an Ingress's routing annotations ask of its paths and hosts beyond per-route policies: which
 * paths are regular expressions, what reaches every host of the Ingress ({@code app-root}, {@code
 * server-alias}, {@code from-to-www-redirect}), and its error pages. The translator applies the
 * path and error-page parts when it reads the Ingress; the host parts where the rules of all
 * Ingresses of a host meet, as ingress-nginx applies them to a whole server.
 *
 * @param useRegex {@code use-regex}: every path of the Ingress is a regular expression
 * @param rewriteTarget {@code rewrite-target}, or {@code null}: a path it differs from is a regular
 *     expression too
 * @param appRoot {@code app-root}, or {@code null}
 * @param fromToWwwRedirect {@code from-to-www-redirect}
 * @param wwwRedirectStatus the status of that redirect (ingress-nginx's {@code http-redirect-code})
 * @param serverAliases {@code server-alias}: more names for the Ingress's hosts
 * @param customHttpErrors the statuses its error pages take ({@code custom-http-errors} or the
 *     controller's default); empty for none
 * @param defaultBackend {@code default-backend}: a Service of the Ingress's namespace, or {@code
 *     null}
 */
public record IngressRouting(
    boolean useRegex,
    @Nullable RewriteTemplate rewriteTarget,
    @Nullable String appRoot,
    boolean fromToWwwRedirect,
    int wwwRedirectStatus,
    List<HostnamePattern> serverAliases,
    List<Integer> customHttpErrors,
    @Nullable String defaultBackend) {

  /** No routing annotations. */
  public static final IngressRouting NONE =
      new IngressRouting(false, null, null, false, 308, List.of(), List.of(), null);

  public IngressRouting {
    serverAliases = List.copyOf(serverAliases);
    customHttpErrors = List.copyOf(customHttpErrors);
  }

  /**
   * Whether a path of the Ingress, as written, is a regular expression: with {@code use-regex}, or
   * when {@code rewrite-target} differs from it (ingress-nginx compares the two strings).
   */
  public boolean regexPath(String rawPath) {
    return useRegex || (rewriteTarget != null && !rewriteTarget.text().equals(rawPath));
  }

  /** Whether anything here reaches the hosts of the Ingress as a whole. */
  public boolean hasHostParts() {
    return appRoot != null || fromToWwwRedirect || !serverAliases.isEmpty();
  }

  /** Collects the parts several families read. */
  public static final class Builder {
    private boolean useRegex;
    private @Nullable RewriteTemplate rewriteTarget;
    private @Nullable String appRoot;
    private boolean fromToWwwRedirect;
    private int wwwRedirectStatus = 308;
    private List<HostnamePattern> serverAliases = new ArrayList<>();
    private List<Integer> customHttpErrors = new ArrayList<>();
    private @Nullable String defaultBackend;

    Builder() {}

    public Builder regex(boolean useRegex, @Nullable RewriteTemplate rewriteTarget) {
      this.useRegex = useRegex;
      this.rewriteTarget = rewriteTarget;
      return this;
    }

    public Builder appRoot(@Nullable String appRoot) {
      this.appRoot = appRoot;
      return this;
    }

    public Builder fromToWwwRedirect(boolean redirect, int status) {
      this.fromToWwwRedirect = redirect;
      this.wwwRedirectStatus = status;
      return this;
    }

    public Builder serverAliases(List<HostnamePattern> aliases) {
      this.serverAliases = new ArrayList<>(requireNonNull(aliases, "aliases"));
      return this;
    }

    public Builder errorPages(List<Integer> statuses, @Nullable String defaultBackend) {
      this.customHttpErrors = new ArrayList<>(requireNonNull(statuses, "statuses"));
      this.defaultBackend = defaultBackend;
      return this;
    }

    IngressRouting build() {
      IngressRouting routing =
          new IngressRouting(
              useRegex,
              rewriteTarget,
              appRoot,
              fromToWwwRedirect,
              wwwRedirectStatus,
              serverAliases,
              customHttpErrors,
              defaultBackend);
      return routing.equals(NONE) ? NONE : routing;
    }
  }
}
