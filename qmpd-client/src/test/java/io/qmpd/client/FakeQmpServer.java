package io.qmpd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A scripted QMP server on a real socket: accepts clients one after another, writes the greeting,
 * answers {@code qmp_capabilities} with {@code {"return": {}}} by itself, and queues every
 * message it receives (negotiation included) with the descriptors that came with it. The test
 * thread then answers with {@link #send} and ends the session with {@link #dropClient}.
 */
public final class FakeQmpServer implements AutoCloseable {

    public static final String GREETING_OOB =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                    + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}";
    public static final String GREETING_PLAIN =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 11}, "
                    + "\"package\": \"\"}, \"capabilities\": []}}";

    /** A message the client sent, as text and parsed, with the descriptors received with it. */
    public record Received(String text, JsonNode json, List<FileDescriptor> fds) {
        public String id() {
            return json.get("id").toString();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ServerSocket server;
    private final String greeting;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Socket> clients = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile Socket client;
    private volatile OutputStream out;

    private FakeQmpServer(ServerSocket server, String greeting) {
        this.server = server;
        this.greeting = greeting;
        this.acceptor = new Thread(this::serve, "fake-qmp-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public static FakeQmpServer unix(Path path, String greeting) throws IOException {
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(path));
        return new FakeQmpServer(server, greeting);
    }

    public static FakeQmpServer tcp(String greeting) throws IOException {
        return new FakeQmpServer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), greeting);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next message the client sent; fails after 5 s with the reason. */
    public Received nextRequest() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the client sent nothing within 5 s");
        }
        return r;
    }

    /** The next message that is not the negotiation. */
    public Received nextCommand() throws InterruptedException {
        Received r = nextRequest();
        return r.json().path("execute").asText().equals("qmp_capabilities") ? nextRequest() : r;
    }

    /** Writes {@code lines}, each followed by CRLF as QEMU does, in one write. */
    public void send(String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        sendRaw(text.toString());
    }

    public void sendRaw(String bytes) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new AssertionError("no client connected");
        }
        o.write(bytes.getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    /** Closes the current client's socket, as a server going away would. */
    public void dropClient() throws IOException {
        Socket c = client;
        if (c != null) {
            c.close();
        }
    }

    /** Waits until a client has connected and the greeting is written. */
    public void awaitClient() throws InterruptedException {
        if (clients.poll(5, TimeUnit.SECONDS) == null) {
            throw new AssertionError("no client connected within 5 s");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        dropClient();
        acceptor.join(5000);
    }

    private void serve() {
        try {
            while (!server.isClosed()) {
                Socket c = server.accept();
                if (c instanceof AFUNIXSocket unix) {
                    unix.setAncillaryReceiveBufferSize(1024);
                }
                client = c;
                out = c.getOutputStream();
                send(greeting);
                clients.add(c);
                readMessages(c);
            }
        } catch (IOException e) {
            // The test closed the server: nothing more to accept.
        }
    }

    private void readMessages(Socket c) {
        try (c) {
            InputStream in = c.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            List<FileDescriptor> fds = new ArrayList<>();
            int b;
            while ((b = in.read()) >= 0) {
                if (c instanceof AFUNIXSocket unix) {
                    FileDescriptor[] got = unix.getReceivedFileDescriptors();
                    if (got != null) {
                        fds.addAll(Arrays.asList(got));
                    }
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                JsonNode json = MAPPER.readTree(text);
                received.add(new Received(text, json, List.copyOf(fds)));
                fds.clear();
                if (json.path("execute").asText().equals("qmp_capabilities")) {
                    send("{\"return\": {}, \"id\": " + json.get("id") + "}");
                }
            }
        } catch (IOException e) {
            // The client or the test closed the connection: wait for the next client.
        }
    }
}
