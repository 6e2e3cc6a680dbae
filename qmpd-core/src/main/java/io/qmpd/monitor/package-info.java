/** Monitors (QMP sessions on chardevs), their request queues, and the one dispatcher that runs in-band commands. */
package io.qmpd.monitor;
