package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationReader;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.router.balance.AffinityKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Ingress specification as a pure function: {@link ClusterSnapshot} in, {@link Translation}
 * out. A translator runs an ordered list of {@link TranslationStep}s, one concern each ({@link
 * TranslationSteps#standard()}): ownership, each Ingress's rules, the claims of all Ingresses
 * merged (oldest first, which also decides conflicts, see {@link
 * io.portico.router.route.RoutePrecedence}), default backends, the routing table, certificates.
 * Same objects, same table.
 *
 * <p>A translator remembers what it found (a memo: the result is always what translating from
 * scratch gives) in one {@link TranslationState}, and works from what changed since the last
 * translation: only the Ingresses of another version, or naming a Service whose objects changed,
 * are read again, and only the hosts whose winners or defaults changed are rebuilt in the routing
 * table. So a change costs in proportion to what it touches, not to the size of the cluster. This
 * relies on sources replacing an object that changes rather than modifying it (the rule of the
 * {@linkplain io.portico.controller.snapshot snapshot package}).
 *
 * <p>When a step throws, the translator drops its state whole and the failure reaches the caller as
 * a {@link TranslationException}: the next translation starts from scratch, and the sync loop keeps
 * the last good configuration serving meanwhile. Translations run one at a time.
 */
public final class Translator {

  private final TranslatorSettings settings;
  private final Clock clock;
  private final AffinityKey affinityKey;
  private final TlsInputs tls;
  private final List<TranslationStep> steps;
  private final AnnotationReader annotationReader;
  // The config of the first successful translation: what keys that apply at start hold to. Kept
  // when the state is dropped, since the listeners keep what they started with.
  private @Nullable ControllerConfig configAtStart;
  // Null before the first translation and after a failed one: the next starts from scratch.
  private @Nullable TranslationState state;

  /**
   * A translator whose tables key session cookies with the {@linkplain AffinityKey#builtIn()
   * built-in key}, with a default certificate generated now and no {@code --default-tls-secret}.
   *
   * @param clock the time certificate validity is judged by; translation reads nothing else of it
   */
  public Translator(TranslatorSettings settings, Clock clock) {
    this(settings, clock, AffinityKey.builtIn(), TlsInputs.generated(clock.instant()));
  }

  /**
   * A translator with the {@linkplain TranslationSteps#standard() standard steps}.
   *
   * @param clock the time certificate validity is judged by; translation reads nothing else of it
   * @param affinityKey the key the tables compute session cookie values with
   * @param tls the default certificate and the parse-once cache of Secrets
   */
  public Translator(
      TranslatorSettings settings, Clock clock, AffinityKey affinityKey, TlsInputs tls) {
    this(settings, clock, affinityKey, tls, TranslationSteps.standard());
  }

  /**
   * @param steps the steps, in the order they run
   */
  public Translator(
      TranslatorSettings settings,
      Clock clock,
      AffinityKey affinityKey,
      TlsInputs tls,
      List<TranslationStep> steps) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.affinityKey = requireNonNull(affinityKey, "affinityKey");
    this.tls = requireNonNull(tls, "tls");
    this.steps = List.copyOf(steps);
    this.annotationReader = AnnotationReader.standard(settings.snippetAnnotations());
  }

  public TranslatorSettings settings() {
    return settings;
  }

  /**
   * Translates a snapshot.
   *
   * @throws TranslationException when a step throws; the translator then starts the next
   *     translation from scratch
   */
  public synchronized Translation translate(ClusterSnapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    TranslationState current = state != null ? state : new TranslationState();
    // Until this translation succeeds, there is no state to keep: a step that throws leaves none.
    state = null;
    TranslationRun run =
        new TranslationRun(
            snapshot,
            current,
            settings,
            clock,
            affinityKey,
            tls,
            Optional.ofNullable(configAtStart),
            annotationReader);
    for (TranslationStep step : steps) {
      try {
        step.apply(run);
      } catch (RuntimeException e) {
        throw new TranslationException(step.name(), e);
      }
    }
    Translation translation = run.result();
    if (configAtStart == null) {
      configAtStart = translation.config();
    }
    current.snapshot = snapshot;
    state = current;
    return translation;
  }
}
