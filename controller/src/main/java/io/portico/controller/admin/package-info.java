/** The admin server: health, readiness and the current routing table, on the admin port. */
@NullMarked
package io.portico.controller.admin;

import org.jspecify.annotations.NullMarked;
