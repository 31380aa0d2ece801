package tcpestats.snmp4j;

import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OID;

import java.util.function.Function;

/**
 * Answers a GETBULK repetition from where the previous repetition of the same varbind ended,
 * when the object that answered that one holds the next cell: without the server's lookup,
 * which SNMP4J-Agent otherwise makes for every varbind of every repetition.
 */
public interface WalkContinuation {
    /**
     * Fills in {@code repetition} and completes it, or returns false to leave it to the server's
     * lookup.
     *
     * @param filter the access check of the request's view, as the lookup applies it
     */
    boolean next(SubRequest<?> repetition, Function<OID, Boolean> filter);

    /** The GETBULK answered on this thread is done: what was kept to continue it can go. */
    void end();
}
