package io.portico.controller.cli;

import io.portico.controller.Controller;

/** Turns parsed flags into the settings a {@link Controller} starts with. */
final class ControllerSettings {

  private ControllerSettings() {}

  static Controller.Settings of(RunOptions options) {
    return new Controller.Settings(
        options.manifests().orElseThrow(),
        options.translatorSettings(),
        options.proxySettings(),
        options.bind(),
        options.adminPort(),
        options.httpsSettings(),
        options.defaultTlsSecret());
  }
}
