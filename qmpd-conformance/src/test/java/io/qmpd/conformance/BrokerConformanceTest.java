package io.qmpd.conformance;

import io.qmpd.testing.ServerProcess.Kind;

/**
 * The same replay through qmpd as a broker ({@code -upstream}) in front of a real QEMU 7.2: the
 * recorded sessions' monitors and chardevs are qmpd's, every command they forward is QEMU's.
 * Where qmpd differs from QEMU on purpose the broker does too (qmpd-expected/); cases that differ
 * through the broker alone are listed for {@code broker} in {@code pending.tsv}, each with why.
 */
class BrokerConformanceTest extends ConformanceTest {

    @Override
    Kind kind() {
        return Kind.BROKER;
    }
}
