package io.qmpd.differential;

import io.qmpd.testing.ServerProcess.Kind;

/**
 * The differential run against qmpd as a broker in front of a QEMU 7.2 of its own: a session
 * through the broker and a monitor of QEMU's get the same byte streams, and their transcripts must
 * be equal (timestamps aside).
 */
class BrokerDifferentialTest extends DifferentialTest {

    @Override
    Kind kind() {
        return Kind.BROKER;
    }

    /**
     * Not {@code qom-list} of the chardevs: it runs on QEMU, which lists its own chardevs, not the
     * session's, which are qmpd's (docs/compat.md, Broker).
     */
    @Override
    boolean compares(EdgeCases.Case c) {
        return !(c.request().contains("\"qom-list\"") && c.request().contains("chardevs"));
    }
}
