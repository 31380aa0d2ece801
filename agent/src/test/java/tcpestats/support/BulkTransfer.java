package tcpestats.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A connection to a peer's sink that a background thread keeps writing to, as fast as
 * the path allows, until closed.
 */
public final class BulkTransfer implements AutoCloseable {
    private final Socket socket = new Socket();
    private final Thread writer;
    private volatile boolean sending = true;

    /** Connects to {@code peer:port} and writes {@code chunk} octets at a time. */
    public BulkTransfer(InetAddress peer, int port, int chunk) throws IOException {
        socket.connect(new InetSocketAddress(peer, port), 5000);
        writer = Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[chunk];
            try (OutputStream out = socket.getOutputStream()) {
                while (sending) {
                    out.write(buf);
                }
            } catch (IOException e) {
                // the socket was closed by close()
            }
        });
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        sending = false;
        socket.close();
        writer.join();
    }
}
