package io.portico.controller.explain;

/**
 * The answer to "what happens to this URL?".
 *
 * @param matched whether a rule or a default backend answers (otherwise Portico's 404 does)
 * @param text the explanation, one fact per line
 */
public record Explanation(boolean matched, String text) {}
