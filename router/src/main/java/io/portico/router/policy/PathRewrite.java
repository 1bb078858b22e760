package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * How a Gateway API redirect or rewrite changes the path: the whole path replaced ({@code
 * ReplaceFullPath}), or the prefix the rule matched replaced, whole segments, the rest kept ({@code
 * ReplacePrefixMatch}: with prefix {@code /old} and replacement {@code /new}, {@code /old/a}
 * becomes {@code /new/a}; with replacement {@code /}, {@code /old/a} becomes {@code /a} and {@code
 * /old} becomes {@code /}).
 *
 * @param fullPath the replacement of the whole path, or {@code null}
 * @param matchedPrefix the prefix the rule matched, for a prefix replacement; else {@code null}
 * @param prefixReplacement what replaces {@code matchedPrefix}, or {@code null}
 */
public record PathRewrite(
    @Nullable String fullPath, @Nullable String matchedPrefix, @Nullable String prefixReplacement) {

  public PathRewrite {
    if ((fullPath == null) == (prefixReplacement == null)
        || (prefixReplacement != null && matchedPrefix == null)) {
      throw new IllegalArgumentException(
          "path rewrite: (expected: a full path, or a matched prefix and its replacement)");
    }
  }

  public static PathRewrite fullPath(String path) {
    return new PathRewrite(requireNonNull(path, "path"), null, null);
  }

  public static PathRewrite prefix(String matchedPrefix, String replacement) {
    return new PathRewrite(
        null, requireNonNull(matchedPrefix, "matchedPrefix"), requireNonNull(replacement, "r"));
  }

  /** The new path for a normalised request path the rule matched. */
  public String apply(String path) {
    if (fullPath != null) {
      return fullPath;
    }
    // The constructor holds that a rewrite without a full path has both of these.
    String prefix = withoutTrailingSlash(requireNonNull(matchedPrefix, "matchedPrefix"));
    String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    String replaced =
        withoutTrailingSlash(requireNonNull(prefixReplacement, "prefixReplacement")) + rest;
    if (replaced.isEmpty()) {
      return "/";
    }
    return replaced.startsWith("/") ? replaced : "/" + replaced;
  }

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  @Override
  public String toString() {
    return fullPath != null
        ? "ReplaceFullPath " + fullPath
        : "ReplacePrefixMatch " + matchedPrefix + " " + prefixReplacement;
  }
}
