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
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** The tcpEStatsControl scalars (writable) and tcpEStatsListenerTableLastChange, from the registry. */
public final class EstatsScalars {
    private final List<MOScalar<Variable>> scalars = new ArrayList<>();

    public EstatsScalars(EstatsControls controls, TableViews views) {
        for (MibVariable v : Registry.all()) {
            if (v.table() != MibTable.CONTROL && v.table() != MibTable.SCALAR) {
                continue;
            }
            LongSupplier value = switch (v.name()) {
                case "tcpEStatsConnTableLatency" -> controls::connTableLatencySeconds;
                case "tcpEStatsListenerTableLastChange" -> () -> {
                    EstatsSnapshot s = views.snapshot();
                    return s.listenerChangedNanos() == 0 ? 0 : views.context().timeStamp(s.listenerChangedNanos());
                };
                default -> () -> controls.on(control(v)) ? 1 : 2;
            };
            OID oid = v.oid();
            oid.append(0);
            LongConsumer apply = switch (v.name()) {
                case "tcpEStatsListenerTableLastChange" -> null;
                case "tcpEStatsConnTableLatency" -> controls::setConnTableLatencySeconds;
                default -> truth -> controls.set(control(v), truth == 1);
            };
            scalars.add(new ComputedScalar(oid, v, value, apply));
        }
    }

    private static Control control(MibVariable v) {
        return Control.named(v.name()).orElseThrow(() -> new IllegalStateException("no control " + v.name()));
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
