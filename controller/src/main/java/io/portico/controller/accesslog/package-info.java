/** The access log: one line per request, written off the event loops. */
@NullMarked
package io.portico.controller.accesslog;

import org.jspecify.annotations.NullMarked;
