package io.portico.router;
