package io.portico.router.route;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PathMatch.Regex} rules of one host, tried in order until one matches: the longest
 * expression first, as ingress-nginx writes its regex locations (then the greater expression first,
 * which is its tie-break), so that the first match wins.
 *
 * <p>Trying a thousand expressions per request would cost a thousand matches, so each expression is
 * indexed by its literal start ({@code /api/v1/} for {@code /api/v1/(.+)}), lower-cased: a request
 * tries only the expressions whose literal start begins its path, found by one hash probe per
 * distinct literal length, then in their order. An expression without a literal start ({@code
 * (/a|/b)}) is tried for every request.
 */
final class RegexRules {

  /** The kind number of literal starts in the index. */
  private static final int LITERAL = 0;

  private static final int[] NONE = new int[0];
  private static final int[][] NO_MORE = new int[0][];

  static {
    // The engine's matching classes load on their first match, which would otherwise be a
    // request's, on an event loop (hundreds of milliseconds on a busy machine). This class loads
    // where route tables are built, off the event loops: match once here, as requests and rewrites
    // do.
    Matcher warmUp = Pattern.compile("/(a)(/|$)(.*)", Pattern.CASE_INSENSITIVE).matcher("/A/b");
    if (!warmUp.lookingAt() || !warmUp.find(0) || !"b".equals(warmUp.group(3))) {
      throw new AssertionError("RE2/J: /(a)(/|$)(.*) does not match /A/b");
    }
  }

  private final RouteTarget[] targets;
  private final Pattern[] patterns;
  private final KeyTable index;
  // The distinct literal lengths, ascending (0 for the expressions tried on every request).
  private final int[] lengths;

  private RegexRules(RouteTarget[] targets, Pattern[] patterns, KeyTable index, int[] lengths) {
    this.targets = targets;
    this.patterns = patterns;
    this.index = index;
    this.lengths = lengths;
  }

  /**
   * The rules of {@code targets}, whose routes are {@link PathMatch.Regex}, in the order they are
   * to be tried.
   */
  static RegexRules of(List<RouteTarget> targets) {
    Map<String, List<Integer>> byLiteral = new LinkedHashMap<>();
    TreeSet<Integer> lengths = new TreeSet<>();
    Pattern[] patterns = new Pattern[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      PathMatch.Regex regex = (PathMatch.Regex) targets.get(i).route().path();
      patterns[i] = regex.pattern();
      String literal = literalStart(regex.path());
      byLiteral.computeIfAbsent(literal, l -> new ArrayList<>()).add(i);
      lengths.add(literal.length());
    }
    KeyTable.Builder index = KeyTable.builder();
    byLiteral.forEach(
        (literal, positions) ->
            index.put(literal, LITERAL, positions.stream().mapToInt(Integer::intValue).toArray()));
    return new RegexRules(
        targets.toArray(new RouteTarget[0]),
        patterns,
        index.build(),
        lengths.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The first rule whose expression matches a start of {@code path}, or {@code null}. */
  @Nullable RouteTarget match(String path) {
    if (!isAscii(path)) {
      // Case folding beyond ASCII (the Kelvin sign folds to k) is not what the index knows.
      for (int i = 0; i < patterns.length; i++) {
        if (patterns[i].matcher(path).lookingAt()) {
          return targets[i];
        }
      }
      return null;
    }
    String lower = lowerAscii(path);
    int[] first = NONE;
    int[][] more = NO_MORE;
    int found = 0;
    int hash = 0;
    int hashed = 0;
    for (int length : lengths) {
      if (length > lower.length()) {
        break;
      }
      for (; hashed < length; hashed++) {
        hash = 31 * hash + lower.charAt(hashed);
      }
      int[] positions = (int[]) index.get(lower, 0, length, hash, LITERAL);
      if (positions == null) {
        continue;
      }
      if (found == 0) {
        first = positions;
      } else {
        if (more.length == 0) {
          more = new int[lengths.length][];
        }
        more[found - 1] = positions;
      }
      found++;
    }
    if (found == 0) {
      return null;
    }
    if (found == 1) {
      for (int i : first) {
        if (patterns[i].matcher(path).lookingAt()) {
          return targets[i];
        }
      }
      return null;
    }
    return tryInOrder(path, merge(first, more, found - 1));
  }

  private @Nullable RouteTarget tryInOrder(String path, int[] positions) {
    for (int i : positions) {
      if (patterns[i].matcher(path).lookingAt()) {
        return targets[i];
      }
    }
    return null;
  }

  private static int[] merge(int[] first, int[][] more, int count) {
    int size = first.length;
    for (int k = 0; k < count; k++) {
      size += more[k].length;
    }
    int[] all = Arrays.copyOf(first, size);
    int at = first.length;
    for (int k = 0; k < count; k++) {
      System.arraycopy(more[k], 0, all, at, more[k].length);
      at += more[k].length;
    }
    Arrays.sort(all);
    return all;
  }

  /**
   * The literal text an expression's matches must start with, lower-cased: its characters up to the
   * first one with a meaning of its own, less the last when a quantifier follows it. Empty when the
   * expression has an alternation, which may start anywhere, or when the text is not ASCII.
   */
  static String literalStart(String expression) {
    if (hasTopLevelAlternation(expression)) {
      return "";
    }
    StringBuilder literal = new StringBuilder();
    int i = 0;
    for (; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if ("\\.[](){}*+?^$".indexOf(c) >= 0 || c >= 0x80 || c < ' ') {
        break;
      }
      literal.append(lowerAscii(c));
    }
    if (i < expression.length() && "*?{".indexOf(expression.charAt(i)) >= 0) {
      literal.setLength(Math.max(0, literal.length() - 1));
    }
    return literal.toString();
  }

  /**
   * Whether {@code |} separates alternatives of the whole expression ({@code /a|/b}), not only of a
   * group ({@code /a(/|$)}, whose literal start is still {@code /a}).
   */
  private static boolean hasTopLevelAlternation(String expression) {
    int depth = 0;
    for (int i = 0; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (expression.startsWith("\\Q", i)) {
        // Quoted text is literal up to \E, or to the end.
        int end = expression.indexOf("\\E", i + 2);
        i = end < 0 ? expression.length() : end + 1;
      } else if (c == '\\') {
        i++;
      } else if (c == '[') {
        // A class ends at the first ] that is not its first character, escaped, or the end of a
        // named class such as [:alpha:].
        int j = i + 1;
        if (j < expression.length() && expression.charAt(j) == '^') {
          j++;
        }
        if (j < expression.length() && expression.charAt(j) == ']') {
          j++;
        }
        while (j < expression.length() && expression.charAt(j) != ']') {
          int named = expression.startsWith("[:", j) ? expression.indexOf(":]", j + 2) : -1;
          j = named >= 0 ? named + 2 : j + (expression.charAt(j) == '\\' ? 2 : 1);
        }
        i = j;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (c == '|' && depth == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} with ASCII letters lower-cased; the argument itself when it has no upper case. */
  private static String lowerAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = text.toCharArray();
        for (int j = i; j < chars.length; j++) {
          chars[j] = lowerAscii(chars[j]);
        }
        return new String(chars);
      }
    }
    return text;
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
