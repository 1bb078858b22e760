/** The access log: one line per request, written off the event loops. */
package io.portico.controller.accesslog;
