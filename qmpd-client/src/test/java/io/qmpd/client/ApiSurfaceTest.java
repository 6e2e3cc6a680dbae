package io.qmpd.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.client.shell.QmpShell;
import io.qmpd.testing.ApiSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's API (what docs/embedding.md shows) names nothing of {@code io.qmpd.client.internal}. */
class ApiSurfaceTest {

    @Test
    void theClientApiShowsNothingInternal() {
        List<Class<?>> api = List.of(
                QmpClient.class,
                QmpClientBuilder.class,
                Greeting.class,
                QmpEvent.class,
                QmpEventListener.class,
                QmpRequest.class,
                Runstate.class,
                QmpClientException.class,
                QmpConnectionClosedException.class,
                QmpErrorResponseException.class,
                QmpProtocolException.class,
                QmpShell.class);
        assertThat(ApiSurface.leaks(api, type -> type.getPackageName().startsWith("io.qmpd.client.internal")))
                .as("internal types in the client's API")
                .isEmpty();
        assertThat(ApiSurface.leaks(List.of(QmpClient.class), type -> type == Greeting.class))
                .as("the check sees what a signature names")
                .contains("io.qmpd.client.QmpClient.connect() -> io.qmpd.client.Greeting");
    }
}
