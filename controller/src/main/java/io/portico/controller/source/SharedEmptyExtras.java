package io.portico.controller.source;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gives every fabric8 model object in a Kubernetes object one shared, empty, immutable map where it
 * holds an empty {@code additionalProperties} map of its own.
 *
 * <p>Each fabric8 model object (the object, its metadata, every rule, path, port, endpoint and
 * condition) starts with a {@code LinkedHashMap} for the fields its schema does not know, and the
 * API server and manifests rarely send any. Portico keeps every watched object for as long as it
 * exists, so these empty maps, a dozen or more per object, are a large share of its heap. An object
 * that does carry unknown fields keeps its map. fabric8's builders copy the map into a new one, so
 * editing a copy still works; the object itself is read, not written, once it arrives.
 */
final class SharedEmptyExtras {

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model.";
  private static final Map<String, Object> EMPTY = Map.of();

  // How to reach the extras and the child objects of each model class, found once per class.
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  private SharedEmptyExtras() {}

  /** Shares the empty map throughout {@code object}'s model tree; idempotent. */
  static void apply(Object object) {
    visit(object, 0);
  }

  private static void visit(@Nullable Object value, int depth) {
    // Model trees are shallow (an EndpointSlice is four levels deep); the bound guards against a
    // cycle, which no Kubernetes object has.
    if (value == null || depth > 32) {
      return;
    }
    if (value instanceof Collection<?> items) {
      for (Object item : items) {
        visit(item, depth + 1);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      // forEach, not values(): a LinkedHashMap keeps the view values() makes, an object per map.
      map.forEach((key, item) -> visit(item, depth + 1));
      return;
    }
    if (!value.getClass().getName().startsWith(MODEL_PACKAGE)) {
      return;
    }
    Shape shape = SHAPES.get(value.getClass());
    try {
      if (shape.extras != null && shape.setExtras != null) {
        Object extras = shape.extras.invoke(value);
        if (extras instanceof Map<?, ?> map && map.isEmpty() && map != EMPTY) {
          // A single reference write: a reader meanwhile sees one empty map or the other.
          shape.setExtras.invoke(value, EMPTY);
        }
      }
      for (MethodHandle child : shape.children) {
        visit(child.invoke(value), depth + 1);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("additionalProperties of " + value.getClass().getName(), e);
    }
  }

  /** The accessors of one model class. */
  private record Shape(
      @Nullable MethodHandle extras,
      @Nullable MethodHandle setExtras,
      List<MethodHandle> children) {

    static Shape of(Class<?> type) {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle extras = null;
      MethodHandle setExtras = null;
      List<MethodHandle> children = new ArrayList<>();
      for (Method method : type.getMethods()) {
        if (Modifier.isStatic(method.getModifiers())
            || method.getParameterCount() != (method.getName().startsWith("set") ? 1 : 0)) {
          continue;
        }
        try {
          String name = method.getName();
          if (name.equals("getAdditionalProperties") && Map.class == method.getReturnType()) {
            extras = lookup.unreflect(method);
          } else if (name.equals("setAdditionalProperties")
              && method.getParameterTypes()[0] == Map.class) {
            setExtras = lookup.unreflect(method);
          } else if (name.startsWith("get") && holdsModel(method.getReturnType())) {
            children.add(
                lookup.unreflect(method).asType(MethodType.methodType(Object.class, Object.class)));
          }
        } catch (IllegalAccessException e) {
          // Not public after all: such a getter is not part of the model.
        }
      }
      if (extras != null) {
        extras = extras.asType(MethodType.methodType(Object.class, Object.class));
      }
      if (setExtras != null) {
        setExtras = setExtras.asType(MethodType.methodType(void.class, Object.class, Map.class));
      }
      return new Shape(extras, setExtras, List.copyOf(children));
    }

    private static boolean holdsModel(Class<?> type) {
      return type.getName().startsWith(MODEL_PACKAGE)
          || Collection.class.isAssignableFrom(type)
          || Map.class.isAssignableFrom(type);
    }
  }
}
