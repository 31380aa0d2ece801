package tcpestats.support;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The far end of a kernel test, run in a peer namespace (see {@link NetnsLab}):
 * {@code sink PORT BYTES} reads BYTES at a time from one connection and answers each with one octet;
 * {@code source PORT BYTES} sends BYTES to one connection, and BYTES again for each octet it reads.
 * Both then wait for the other end to close, so the connection stays established while the
 * test looks at it. Prints
 * "ready" when listening.
 */
public final class Peer {
    private Peer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            System.out.println("ready");
            System.out.flush();
            try (Socket s = server.accept()) {
                long bytes = Long.parseLong(args[2]);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[65536];
                switch (args[0]) {
                    case "sink" -> {
                        while (true) {
                            for (long left = bytes; left > 0; ) {
                                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                                if (n < 0) {
                                    return;
                                }
                                left -= n;
                            }
                            s.getOutputStream().write(1);
                        }
                    }
                    case "source" -> {
                        OutputStream out = s.getOutputStream();
                        do {
                            for (long left = bytes; left > 0; ) {
                                int n = (int) Math.min(buf.length, left);
                                out.write(buf, 0, n);
                                left -= n;
                            }
                        } while (in.read() >= 0);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown mode " + args[0]);
                }
            }
        }
    }

    /** The class path that holds this class (test classes), for starting it elsewhere. */
    static String classPath() {
        try {
            return Path.of(Peer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
