package io.qmpd.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevBackend;
import io.qmpd.chardev.ChardevContext;
import io.qmpd.chardev.ChardevFrontend;
import io.qmpd.chardev.KeptInput;
import io.qmpd.command.CommandContext;
import io.qmpd.command.CommandFallback;
import io.qmpd.command.CommandGroup;
import io.qmpd.command.CommandHandler;
import io.qmpd.command.CommandRegistry;
import io.qmpd.event.EventBroadcaster;
import io.qmpd.machine.Machine;
import io.qmpd.machine.MachineBackend;
import io.qmpd.server.Backend;
import io.qmpd.server.BackendHost;
import io.qmpd.server.QmpServer;
import io.qmpd.server.QmpServerBuilder;
import io.qmpd.testing.ApiSurface;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the server's embedding API (the builder, the back-end, handler, event and chardev-backend
 * types) shows of the server's insides: the event loop and descriptor tricks ({@code io.qmpd.io}),
 * the dispatcher, the dispatch, the registries, the monitor implementation. A new one fails the
 * build.
 */
class ApiSurfaceTest {

    private static final Set<String> INSIDES = Set.of(
            "io.qmpd.monitor.Dispatcher",
            "io.qmpd.monitor.MonitorList",
            "io.qmpd.command.QmpDispatch",
            "io.qmpd.chardev.ChardevRegistry",
            "io.qmpd.command.MonitorHotplug",
            "io.qmpd.event.MonitorEvents",
            "io.qmpd.monitor.Monitor",
            "io.qmpd.monitor.MonitorFds",
            "io.qmpd.monitor.QmpMonitor",
            "io.qmpd.monitor.Caller",
            "io.qmpd.hmp.HmpMonitor",
            "io.qmpd.qom.ObjectContainer");

    private static boolean inside(Class<?> type) {
        return type.getPackageName().equals("io.qmpd.io") || INSIDES.contains(type.getName());
    }

    @Test
    void theEmbeddingApiShowsOnlyTheInsidesItIsKnownToShow() {
        List<Class<?>> api = List.of(
                QmpServer.class,
                QmpServerBuilder.class,
                Backend.class,
                BackendHost.class,
                CommandRegistry.class,
                CommandHandler.class,
                CommandContext.class,
                CommandFallback.class,
                CommandGroup.class,
                EventBroadcaster.class,
                ChardevBackend.class,
                ChardevContext.class,
                Chardev.class,
                ChardevFrontend.class,
                KeptInput.class,
                MachineBackend.class,
                Machine.class);
        assertThat(ApiSurface.leaks(api, ApiSurfaceTest::inside))
                .as("the server's insides named by its embedding API")
                .isEmpty();
    }
}
