package tcpestats.snmp;

import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.PDU;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import tcpestats.collect.Control;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.mib.ScalarValue;
import tcpestats.store.EstatsControls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** The tcpEStatsControl scalars (writable) and tcpEStatsListenerTableLastChange, from the registry. */
public final class EstatsScalars {
    private final List<MOScalar<Variable>> scalars = new ArrayList<>();

    public EstatsScalars(EstatsControls controls, TableViews views) {
        for (MibVariable v : Registry.all()) {
            ScalarValue scalar = v.scalar();
            if (scalar == null) {
                continue;
            }
            OID oid = v.oid();
            oid.append(0);
            LongSupplier value = () -> scalar.read().read(controls, views::snapshot, views.context());
            LongConsumer apply = scalar.writable() ? x -> scalar.write().write(controls, x) : null;
            scalars.add(new ComputedScalar(oid, v, value, apply));
        }
    }

    public void register(MOServer server, OctetString context) throws DuplicateRegistrationException {
        for (MOScalar<Variable> s : scalars) {
            server.register(s, context);
        }
    }

    public void unregister(MOServer server, OctetString context) {
        for (MOScalar<Variable> s : scalars) {
            server.unregister(s, context);
        }
    }

    /**
     * A scalar whose value is computed at each read; with {@code apply}, SET changes the
     * agent's state (wrongType and, for TruthValue, wrongValue are checked first).
     */
    private static final class ComputedScalar extends MOScalar<Variable> {
        private final MibVariable variable;
        private final LongSupplier value;
        private final LongConsumer apply;

        ComputedScalar(OID oid, MibVariable variable, LongSupplier value, LongConsumer apply) {
            super(oid, apply == null ? MOAccessImpl.ACCESS_READ_ONLY : MOAccessImpl.ACCESS_READ_WRITE, Null.instance);
            this.variable = variable;
            this.value = value;
            this.apply = apply;
            setVolatile(true);
        }

        @Override
        public Variable getValue() {
            return variable.type().toVariable(value.getAsLong());
        }

        @Override
        public int getSyntax() {
            return variable.type().syntax();
        }

        @Override
        public int isValueOK(SubRequest<?> request) {
            long v = request.getVariableBinding().getVariable().toLong();
            if (variable.syntax().equals("TruthValue") && v != 1 && v != 2) {
                return PDU.wrongValue;
            }
            return PDU.noError;
        }

        @Override
        protected int changeValue(Variable newValue) {
            apply.accept(newValue.toLong());
            return PDU.noError;
        }
    }
}
