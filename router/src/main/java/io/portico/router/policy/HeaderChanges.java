package io.portico.router.policy;

import java.util.List;
import java.util.Locale;

/**
 * What a Gateway API header modifier does to a set of headers, validated when built: names are
 * tokens and values hold no CR, LF or NUL, so no input can split a header block.
 *
 * @param set headers whose values are replaced
 * @param add values added to a header
 * @param remove headers removed, names lower case
 */
public record HeaderChanges(
    List<PolicyAnswer.Header> set, List<PolicyAnswer.Header> add, List<String> remove) {

  public HeaderChanges {
    set = List.copyOf(set);
    add = List.copyOf(add);
    remove =
        remove.stream().map(name -> HeaderEdits.checkName(name).toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    set.forEach(h -> out.append(" set ").append(h.name()).append('=').append(h.value()));
    add.forEach(h -> out.append(" add ").append(h.name()).append('=').append(h.value()));
    remove.forEach(name -> out.append(" remove ").append(name));
    return out.toString().strip();
  }
}
