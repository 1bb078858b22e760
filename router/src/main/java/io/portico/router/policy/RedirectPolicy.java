package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * Every request of the route is answered with a redirect to one fixed URL, without the request's
 * path or query: ingress-nginx's {@code permanent-redirect} (301 unless {@code
 * permanent-redirect-code} says 300 to 308) and {@code temporal-redirect} (302 unless {@code
 * temporal-redirect-code} says 300 to 307), which is nginx's {@code return <code> <url>}.
 *
 * <p>A URL that starts with {@code /} is made absolute with the request's scheme and host, without
 * a port, as nginx does. The statuses nginx gives no {@code Location} (300, 304, 305, 306) carry
 * the URL as their body instead, as nginx's {@code return} does.
 *
 * @param status 300 to 308
 * @param url the URL, as the annotation wrote it
 */
public record RedirectPolicy(int status, String url) implements RequestPolicy {

  public RedirectPolicy {
    requireNonNull(url, "url");
    if (status < 300 || status > 308) {
      throw new IllegalArgumentException("status: " + status + " (expected: 300 to 308)");
    }
    PolicyAnswer.redirect(301, url);
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (!sendsLocation(status)) {
      exchange.answer(PolicyAnswer.text(status, url));
      return;
    }
    String location = url;
    if (url.startsWith("/") && !url.startsWith("//")) {
      location = Locations.appendOrigin(new StringBuilder(64), request).append(url).toString();
    }
    exchange.answer(PolicyAnswer.redirect(status, location));
  }

  private static boolean sendsLocation(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  @Override
  public String label() {
    return "redirect " + status + " " + url;
  }
}
