package io.portico.controller.audit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Ingress path read as ingress-nginx reads it under {@code use-regex} or {@code rewrite-target}
 * (a case-insensitive regular expression matching a start of the path), with its rewrite, as the
 * Gateway API match and {@code URLRewrite} that do the same.
 *
 * @param type {@code PathPrefix} or {@code RegularExpression}
 * @param value the match value
 * @param rewriteType {@code ReplacePrefixMatch} or {@code ReplaceFullPath}; empty without rewrite
 * @param rewriteValue the rewrite's value; empty without rewrite
 * @param caveat what differs from ingress-nginx beyond letter case; empty when nothing does
 */
record RegexPath(
    String type,
    String value,
    Optional<String> rewriteType,
    Optional<String> rewriteValue,
    Optional<String> caveat) {

  // P(/|$)(.*) rewritten to X/$2: the canonical "strip a prefix" form of ingress-nginx's docs.
  private static final Pattern PREFIX_THEN_REST =
      Pattern.compile("(/[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*)\\(/\\|\\$\\)\\(\\.\\*\\)");
  // P/(.*) rewritten to X/$1.
  private static final Pattern PREFIX_SLASH_REST =
      Pattern.compile("(/[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*)/\\(\\.\\*\\)");
  private static final Pattern LITERAL = Pattern.compile("/[A-Za-z0-9._~/-]*");
  private static final Pattern TARGET_THEN_GROUP =
      Pattern.compile("((?:/[A-Za-z0-9._~-]+)*)/\\$(\\d)");

  /**
   * The match and rewrite for {@code path}; empty when {@code target} (present) cannot be expressed
   * by a {@code URLRewrite}.
   */
  static Optional<RegexPath> of(String path, Optional<String> target) {
    if (target.isEmpty() || target.get().equals(path)) {
      return Optional.of(
          new RegexPath(
              "RegularExpression",
              anywhereAfter(path),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    String to = target.get();
    Matcher targetGroup = TARGET_THEN_GROUP.matcher(to);
    if (targetGroup.matches()) {
      String replacement = targetGroup.group(1).isEmpty() ? "/" : targetGroup.group(1);
      Matcher rest = PREFIX_THEN_REST.matcher(path);
      if (rest.matches() && targetGroup.group(2).equals("2")) {
        Optional<String> caveat =
            replacement.equals("/")
                ? Optional.empty()
                : Optional.of(
                    rest.group(1)
                        + " itself becomes "
                        + replacement
                        + " where ingress-nginx sent "
                        + replacement
                        + "/");
        return Optional.of(
            new RegexPath(
                "PathPrefix",
                rest.group(1),
                Optional.of("ReplacePrefixMatch"),
                Optional.of(replacement),
                caveat));
      }
      Matcher slash = PREFIX_SLASH_REST.matcher(path);
      if (slash.matches() && targetGroup.group(2).equals("1")) {
        return Optional.of(
            new RegexPath(
                "PathPrefix",
                slash.group(1),
                Optional.of("ReplacePrefixMatch"),
                Optional.of(replacement),
                Optional.of(
                    slash.group(1)
                        + " without a slash after it now matches too (ingress-nginx's regex"
                        + " needed the slash)")));
      }
      return Optional.empty();
    }
    if (!to.contains("$") && LITERAL.matcher(to).matches()) {
      // nginx's rewrite replaces the whole path when the regex matches.
      return Optional.of(
          new RegexPath(
              "RegularExpression",
              anywhereAfter(path),
              Optional.of("ReplaceFullPath"),
              Optional.of(to),
              Optional.empty()));
    }
    return Optional.empty();
  }

  /** ingress-nginx matches a start of the path; a Gateway API regex the whole of it. */
  private static String anywhereAfter(String path) {
    if (path.endsWith("$")) {
      return path.substring(0, path.length() - 1);
    }
    return path.endsWith(".*") ? path : path + ".*";
  }
}
