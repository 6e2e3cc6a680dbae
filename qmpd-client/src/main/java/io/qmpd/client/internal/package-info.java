/** Implementation of the client: transports, the reader thread, pending calls and listener dispatch. */
package io.qmpd.client.internal;
