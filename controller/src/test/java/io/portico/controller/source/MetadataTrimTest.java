package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTrimTest {

  private static ObjectMeta applied() {
    return new ObjectMetaBuilder()
        .withNamespace("default")
        .withName("site")
        .withAnnotations(
            Map.of(
                MetadataTrim.LAST_APPLIED,
                "{\"kind\":\"Secret\",\"data\":{\"tls.key\":\"...\"}}",
                "nginx.ingress.kubernetes.io/ssl-redirect",
                "false"))
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build())
        .build();
  }

  @Test
  void aSecretLosesKubectlsCopyOfItsManifestAndTheManagedFields() {
    HasMetadata secret = new SecretBuilder().withMetadata(applied()).build();
    MetadataTrim.apply(secret);
    assertEquals(
        Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "false"),
        secret.getMetadata().getAnnotations());
    assertNull(secret.getMetadata().getManagedFields());
  }

  @Test
  void anIngressKeepsTheAnnotationTheStatusWriterSendsBack() {
    HasMetadata ingress = new IngressBuilder().withMetadata(applied()).build();
    MetadataTrim.apply(ingress);
    assertEquals(2, ingress.getMetadata().getAnnotations().size());
    assertNull(ingress.getMetadata().getManagedFields());
  }
}
