package io.portico.controller.annotations;

/**
 * What {@code --snippet-annotations} does with an Ingress carrying a snippet annotation ({@code
 * configuration-snippet}, {@code server-snippet}, {@code auth-snippet}, {@code stream-snippet},
 * {@code modsecurity-snippet}). Portico never interprets nginx configuration text; the choice is
 * only whether the Ingress is served without it.
 */
public enum SnippetAnnotations {
  /** The Ingress is not served (the default, as ingress-nginx's default risk level does). */
  REFUSE,
  /** The Ingress is served without the snippet, with a warning. */
  IGNORE
}
