/**
 * Benchmarks and the harnesses around them: JMH microbenchmarks of the routing table, translator
 * and cookie codec, and the end-to-end measurements of wire throughput, propagation and hostile
 * clients (see {@code bench/README.md}).
 */
@NullMarked
package io.portico.bench;

import org.jspecify.annotations.NullMarked;
