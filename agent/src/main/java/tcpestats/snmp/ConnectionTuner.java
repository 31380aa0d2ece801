package tcpestats.snmp;

/**
 * Applies Tune limits to a live socket (implemented by the kernel collector). The one
 * place where data flows from SNMP back to the kernel.
 */
public interface ConnectionTuner {
    /**
     * @param netns             the inode of the socket's network namespace
     * @param cwndClampSegments congestion window limit in segments, 0 to leave it
     * @param windowClamp       receive window limit in octets, 0 to leave it
     * @return null if the socket is gone, else the errno-style result (0 = applied)
     */
    Integer apply(long netns, long cookie, long cwndClampSegments, long windowClamp);

    /** Whether sockets of network namespace {@code netns} can be tuned. */
    boolean reaches(long netns);
}
