/**
 * The side-by-side harness: QEMU 7.2 and qmpd started with equivalent monitors and driven by the
 * same minimal load generator ({@link io.qmpd.bench.side.QmpSocket}: raw request bytes out, lines
 * in, nothing parsed that a figure does not need). {@link io.qmpd.bench.side.SideBySide} is the
 * main class; {@code bench/side-by-side.sh} builds and runs it.
 *
 * <p>Threads: everything runs on the main thread; the multi-monitor figures multiplex their
 * sockets with one selector instead of using threads, so both servers face the same client.
 */
package io.qmpd.bench.side;
