/** JMH micro-benchmarks of the hot path: the JSON streamer on requests, the writer on replies. */
package io.qmpd.bench;
