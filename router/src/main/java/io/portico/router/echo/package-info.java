/**
 * The echo backend of {@code portico demo} and of the tests ({@link
 * io.portico.router.echo.EchoBackend}).
 */
@NullMarked
package io.portico.router.echo;

import org.jspecify.annotations.NullMarked;
