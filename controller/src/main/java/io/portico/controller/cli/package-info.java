/**
 * The {@code portico} command ({@link io.portico.controller.cli.Portico}) and its subcommands:
 * {@code run}, {@code demo}, {@code explain}, {@code certgen} and {@code echo}. Options are picocli
 * fields, filled before a command runs; an option without a default value is {@code @Nullable}.
 */
@NullMarked
package io.portico.controller.cli;

import org.jspecify.annotations.NullMarked;
