/** Examples the documentation includes, compiled and run by tests. */
package io.qmpd.examples;
