package tcpestats.snmp4j;

import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Target;
import org.snmp4j.asn1.BER;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.util.PDUFactory;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Incoming PDUs whose {@code getBERLength()} remembers the length of each variable binding.
 * SNMP4J-Agent answers a GETBULK in a clone of the request and, before adding each varbind,
 * asks the whole response for its BER length: a cost quadratic in max-repetitions (a third of
 * the agent's CPU in a 20,000-row walk with -Cr50). A varbind's length is kept while its OID
 * (and that OID's value array) and its value are the same objects: SNMP4J replaces them when
 * it fills a varbind in. Only the size checks use the remembered lengths; encoding calls
 * {@code getBERPayloadLength}, which this class leaves to SNMP4J, so the octets sent are
 * always right. (A value that another thread changes in place while the response is built, a
 * counter of SNMP4J's own tables, can leave the size check a byte off.)
 */
public final class LengthCachingPdus {
    /** For the message processing models: v2c requests as {@link Pdu}, v3 as {@link Scoped}. */
    public static final PDUFactory V2C = factory(Pdu::new);
    public static final PDUFactory V3 = factory(Scoped::new);

    private LengthCachingPdus() {
    }

    private static PDUFactory factory(Supplier<PDU> pdu) {
        return new PDUFactory() {
            @Override
            public PDU createPDU(Target<?> target) {
                return pdu.get();
            }

            @Override
            public PDU createPDU(MessageProcessingModel model) {
                return pdu.get();
            }
        };
    }

    /** The BER length of a PDU (tag, length, request ID, error status and index, varbind list). */
    private static int pduLength(PDU pdu, VarbindLengths lengths) {
        int varbinds = lengths.sum(pdu.getVariableBindings());
        int payload = varbinds + BER.getBERLengthOfLength(varbinds) + 1
                + pdu.getRequestID().getBERLength()
                + new Integer32(pdu.getErrorStatus()).getBERLength()
                + new Integer32(pdu.getErrorIndex()).getBERLength();
        return payload + BER.getBERLengthOfLength(payload) + 1;
    }

    static final class Pdu extends PDU {
        private final transient VarbindLengths lengths = new VarbindLengths();

        Pdu() {
        }

        private Pdu(Pdu other) {
            super(other);
        }

        @Override
        public int getBERLength() {
            return pduLength(this, lengths);
        }

        @Override
        public Object clone() {
            return new Pdu(this);
        }
    }

    static final class Scoped extends ScopedPDU {
        private final transient VarbindLengths lengths = new VarbindLengths();

        Scoped() {
        }

        private Scoped(Scoped other) {
            super(other);
        }

        /** A SEQUENCE of contextEngineID, contextName and the PDU. */
        @Override
        public int getBERLength() {
            int engine = getContextEngineID() == null ? 0 : getContextEngineID().length();
            int name = getContextName() == null ? 0 : getContextName().length();
            int payload = pduLength(this, lengths) + BER.getBERLengthOfLength(engine) + 1 + engine
                    + BER.getBERLengthOfLength(name) + 1 + name;
            return payload + BER.getBERLengthOfLength(payload) + 1;
        }

        @Override
        public Object clone() {
            return new Scoped(this);
        }
    }

    static VarbindLengths lengthsOf(PDU pdu) {
        return switch (pdu) {
            case Pdu p -> p.lengths;
            case Scoped s -> s.lengths;
            case null, default -> null;
        };
    }

    /**
     * The BER lengths of a varbind list, by position, each valid while its parts are the same
     * objects. Parallel arrays: checking positions is the cost here (twice and more per varbind
     * added to a GETBULK response), and arrays check one in the fewest memory reads.
     */
    static final class VarbindLengths {
        /** The most positions {@link #reserve} sets aside ahead: a response is bounded by its size, not by a request's max-repetitions. */
        private static final int MOST_RESERVED = 1024;
        /** Empty until a response is measured: a GET's few varbinds, or what a GETBULK reserves. */
        private VariableBinding[] varbinds = {};
        private OID[] oids = {};
        private int[][] subIds = {};
        private Variable[] values = {};
        private int[] lengths = {};
        /** How many of the last varbinds may still change; -1: any may. */
        private int newest = -1;
        /** Positions before this one are final (only while {@code newest} >= 0), their lengths summed. */
        private int finalCount;
        private int finalSum;

        /** From now on only the last {@code count} varbinds may change, and are the only ones checked. */
        void checkNewest(int count) {
            newest = count;
            finalCount = 0;
            finalSum = 0;
        }

        /** Sets aside positions for a response expected to hold {@code count} varbinds: they are not grown one doubling at a time. */
        void reserve(long count) {
            int size = (int) Math.min(count, MOST_RESERVED);
            if (size > varbinds.length) {
                resize(size);
            }
        }

        /** From now on any varbind may change: all are checked. */
        void checkAll() {
            checkNewest(-1);
        }

        int sum(List<? extends VariableBinding> list) {
            int n = list.size();
            if (n > varbinds.length) {
                grow(n);
            }
            if (newest < 0 || finalCount > n) {
                finalCount = 0;
                finalSum = 0;
            }
            int total = finalSum;
            for (int i = finalCount; i < n; i++) {
                VariableBinding vb = list.get(i);
                OID oid = vb.getOid();
                Variable value = vb.getVariable();
                if (varbinds[i] != vb || oids[i] != oid || values[i] != value || subIds[i] != oid.getValue()) {
                    varbinds[i] = vb;
                    oids[i] = oid;
                    subIds[i] = oid.getValue();
                    values[i] = value;
                    lengths[i] = vb.getBERLength();
                }
                total += lengths[i];
            }
            if (newest >= 0) {
                for (; finalCount < n - newest; finalCount++) {
                    finalSum += lengths[finalCount];
                }
            }
            return total;
        }

        private void grow(int n) {
            resize(Math.max(n, varbinds.length * 2));
        }

        private void resize(int size) {
            varbinds = Arrays.copyOf(varbinds, size);
            oids = Arrays.copyOf(oids, size);
            subIds = Arrays.copyOf(subIds, size);
            values = Arrays.copyOf(values, size);
            lengths = Arrays.copyOf(lengths, size);
        }
    }
}
