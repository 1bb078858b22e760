package io.portico.router.route;

import org.jspecify.annotations.Nullable;

/**
 * An estimate, from the text alone, of how large an expression compiles: each character, class or
 * group counts once, times the counted repetitions ({@code {n}}, {@code {n,m}}) around it. re2j
 * expands counted repetitions when it compiles, with no limit of its own, so {@code
 * ((a{1000}){1000}){1000}} would exhaust the heap of the translation that compiles it; an
 * expression over the budget is refused before it is compiled.
 */
final class RegexBudget {

  private RegexBudget() {}

  /**
   * The estimated number of instructions of {@code expression}, or {@code limit + 1} as soon as the
   * estimate passes {@code limit}.
   */
  static long estimate(String expression, long limit) {
    // One frame per open group: the size of what it holds so far, and of its last item.
    long[] sums = new long[expression.length() + 2];
    long[] lasts = new long[expression.length() + 2];
    int depth = 0;
    int length = expression.length();
    for (int i = 0; i < length; i++) {
      char c = expression.charAt(i);
      long item = 1;
      switch (c) {
        case '\\' -> i++;
        case '[' -> i = classEnd(expression, i);
        case '(' -> {
          depth++;
          sums[depth] = 0;
          lasts[depth] = 0;
          continue;
        }
        case ')' -> {
          if (depth == 0) {
            break;
          }
          item = sums[depth] + 1;
          depth--;
        }
        case '{' -> {
          int[] counts = repetition(expression, i);
          if (counts != null) {
            long times = Math.max(counts[0], counts[1]);
            sums[depth] += lasts[depth] * Math.max(0, times - 1);
            lasts[depth] *= Math.max(1, times);
            if (sums[depth] > limit || lasts[depth] > limit) {
              return limit + 1;
            }
            i = counts[2];
            continue;
          }
        }
        case '*', '+', '?', '|' -> {
          sums[depth] += 1;
          continue;
        }
        default -> {}
      }
      sums[depth] += item;
      lasts[depth] = item;
      if (sums[depth] > limit) {
        return limit + 1;
      }
    }
    long total = 0;
    for (int d = 0; d <= depth; d++) {
      total += sums[d];
    }
    return Math.min(total, limit + 1);
  }

  /** The index of the {@code ]} that closes the class opened at {@code start}, or the last one. */
  private static int classEnd(String expression, int start) {
    int i = start + 1;
    if (i < expression.length() && expression.charAt(i) == '^') {
      i++;
    }
    if (i < expression.length() && expression.charAt(i) == ']') {
      i++;
    }
    for (; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ']') {
        return i;
      }
    }
    return expression.length() - 1;
  }

  /**
   * A counted repetition at {@code start} ({@code {n}}, {@code {n,}}, {@code {n,m}}): {@code {n, m
   * or n, index of the closing brace}}, or {@code null} when the brace is a literal one.
   */
  private static int @Nullable [] repetition(String expression, int start) {
    int i = start + 1;
    int min = 0;
    int digits = 0;
    while (i < expression.length() && Character.isDigit(expression.charAt(i)) && digits < 5) {
      min = min * 10 + (expression.charAt(i) - '0');
      i++;
      digits++;
    }
    if (digits == 0 || i >= expression.length()) {
      return null;
    }
    int max = min;
    if (expression.charAt(i) == ',') {
      i++;
      int maxDigits = 0;
      int parsed = 0;
      while (i < expression.length() && Character.isDigit(expression.charAt(i)) && maxDigits < 5) {
        parsed = parsed * 10 + (expression.charAt(i) - '0');
        i++;
        maxDigits++;
      }
      max = maxDigits == 0 ? min + 1 : parsed;
    }
    if (i >= expression.length() || expression.charAt(i) != '}') {
      return null;
    }
    return new int[] {min, max, i};
  }
}
