package io.portico.router.policy;

/**
 * When a {@link RequestPolicy} runs, relative to the others of its route. The order is
 * ingress-nginx's, so that an Ingress moved over behaves the same:
 *
 * <ol>
 *   <li>{@link #ACCESS}: who may ask at all (source ranges, denials) is decided before anything
 *       else, so a refused client learns nothing and costs nothing further;
 *   <li>{@link #AUTHENTICATION}: who the client is (basic, external, client certificates), before
 *       anything is counted or served on their behalf;
 *   <li>{@link #RATE_LIMIT}: how much an admitted client may ask, counted only for requests that
 *       passed the checks above;
 *   <li>{@link #REDIRECT}: answers that send the client elsewhere (HTTPS redirect, permanent and
 *       temporal redirects, app-root, www), after the checks, so a redirect never bypasses them;
 *   <li>{@link #REWRITE}: the URI the backend sees, once it is certain the request goes upstream;
 *   <li>{@link #HEADERS}: request headers to the backend and response headers to the client (HSTS
 *       among them), from the rewritten request;
 *   <li>{@link #BACKEND_CHOICE}: which backend serves (canaries), last, on the request as it will
 *       be sent.
 * </ol>
 *
 * The upstream attempt follows the last phase.
 */
public enum PolicyPhase {
  ACCESS,
  AUTHENTICATION,
  RATE_LIMIT,
  REDIRECT,
  REWRITE,
  HEADERS,
  BACKEND_CHOICE
}
