package io.qmpd.broker;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test gets a QEMU 7.2 of its own with qmpd's broker in front of it
 * ({@link BrokerFixture}); skipped where QEMU 7.2 is not installed.
 */
abstract class PerTestBroker {

    private final String prefix;
    BrokerFixture fixture;

    /** @param prefix names the test's directory under /tmp */
    PerTestBroker(String prefix) {
        this.prefix = prefix;
    }

    @BeforeEach
    final void startBroker() throws IOException {
        fixture = BrokerFixture.startOrSkip(prefix);
    }

    @AfterEach
    final void stopBroker() {
        if (fixture != null) {
            fixture.close();
        }
    }
}
