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

import java.util.ArrayList;
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

    /** The BER lengths of a varbind list, by position, each valid while its parts are the same objects. */
    static final class VarbindLengths {
        private record Known(VariableBinding varbind, OID oid, int[] subIds, Variable value, int length) {
            static Known of(VariableBinding vb) {
                return new Known(vb, vb.getOid(), vb.getOid().getValue(), vb.getVariable(), vb.getBERLength());
            }

            boolean describes(VariableBinding vb) {
                return varbind == vb && oid == vb.getOid() && subIds == oid.getValue() && value == vb.getVariable();
            }
        }

        private final List<Known> known = new ArrayList<>();

        int sum(List<? extends VariableBinding> varbinds) {
            int total = 0;
            for (int i = 0; i < varbinds.size(); i++) {
                VariableBinding vb = varbinds.get(i);
                Known k = i < known.size() ? known.get(i) : null;
                if (k == null || !k.describes(vb)) {
                    k = Known.of(vb);
                    if (i < known.size()) {
                        known.set(i, k);
                    } else {
                        known.add(k);
                    }
                }
                total += k.length();
            }
            if (known.size() > varbinds.size()) {
                known.subList(varbinds.size(), known.size()).clear();
            }
            return total;
        }
    }
}
