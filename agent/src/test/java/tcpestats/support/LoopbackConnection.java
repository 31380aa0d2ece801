package tcpestats.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP connection on loopback whose client has sent a known number of octets, all
 * read by the server before the constructor returns.
 */
public final class LoopbackConnection implements AutoCloseable {
    private final ServerSocket listener;
    private final Socket client;
    private final Socket server;

    public LoopbackConnection(InetAddress address, int bytes) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0));
        client = new Socket(address, listener.getLocalPort());
        server = listener.accept();
        client.getOutputStream().write(new byte[bytes]);
        client.getOutputStream().flush();
        InputStream in = server.getInputStream();
        byte[] buf = new byte[65536];
        int read = 0;
        while (read < bytes) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed after " + read + " of " + bytes + " octets");
            }
            read += n;
        }
    }

    public int clientPort() {
        return client.getLocalPort();
    }

    public int serverPort() {
        return listener.getLocalPort();
    }

    public Socket client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }
}
