/** What the commands act on: the machine's run state, name and UUID, and a simulated machine. */
package io.qmpd.machine;
