/**
 * JMH micro-benchmarks of the hot path (the JSON streamer on requests, the writer on replies), and
 * {@link io.qmpd.bench.SelectorScale}, the I/O design measurement behind ADR 5.
 */
package io.qmpd.bench;
