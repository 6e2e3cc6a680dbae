/**
 * JMH micro-benchmarks of the hot path (the JSON streamer on requests, the writer on replies, and
 * {@link io.qmpd.bench.DispatchBenchmark}: a whole request through a {@code QmpMonitor} on
 * qmpd-core's in-memory test chardev), and {@link io.qmpd.bench.SelectorScale}, the
 * I/O design measurement behind ADR 5. The side-by-side harness against QEMU is in
 * {@code io.qmpd.bench.side}.
 */
package io.qmpd.bench;
