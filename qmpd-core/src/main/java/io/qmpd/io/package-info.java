/** The I/O event loop: one selector thread that owns every socket of the chardevs assigned to it. */
package io.qmpd.io;
