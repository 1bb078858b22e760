/** The admin server: health, readiness and the current routing table, on the admin port. */
package io.portico.controller.admin;
