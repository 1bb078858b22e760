package io.portico.tls;
