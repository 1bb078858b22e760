package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {
  @Test
  void lintStrictPasses() {
    // Strict: warnings fail too. Lint also checks values.yaml against values.schema.json.
    LintResult lint = HelmChart.lintStrict();

    assertFalse(lint.isFailed(), () -> "helm lint --strict: " + lint.getMessages());
  }
}
