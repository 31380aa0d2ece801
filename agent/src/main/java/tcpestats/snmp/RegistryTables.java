package tcpestats.snmp;

import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableSubIndex;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import tcpestats.collect.KernelFeatures;
import tcpestats.mib.IndexKind;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.snmp4j.WalkContinuation;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Builds and registers one SNMP4J table per {@link MibTable} from the {@link Registry}. */
public final class RegistryTables {
    /** GETBULK repetitions answered by these tables from where the previous one ended. */
    public static final WalkContinuation CONTINUATION = new WalkContinuation() {
        @Override
        public boolean next(SubRequest<?> repetition, Function<OID, Boolean> filter) {
            return RegistryTable.continueWalk(repetition, filter);
        }

        @Override
        public void end() {
            RegistryTable.endWalk();
        }
    };

    private final List<RegistryTable> tables = new ArrayList<>();

    public RegistryTables(TableViews views, EstatsControls controls, EstatsStore store, ConnectionTuner tuner,
                   KernelFeatures features) {
        for (MibTable table : MibTable.values()) {
            if (!table.isTable()) {
                continue;
            }
            List<MibVariable> columns = Registry.columns(table, features);
            MOColumn[] moColumns = new MOColumn[columns.size()];
            for (int i = 0; i < moColumns.length; i++) {
                MibVariable v = columns.get(i);
                moColumns[i] = new MOColumn<>(v.column(), v.type().syntax(),
                        v.writable() ? MOAccessImpl.ACCESS_READ_WRITE : MOAccessImpl.ACCESS_READ_ONLY);
            }
            RegistryTableModel model = new RegistryTableModel(table, columns, views);
            tables.add(table == MibTable.TUNE
                    ? new TuneTable(table, index(table.indexKind()), moColumns, model, views, columns, controls,
                    store, tuner)
                    : new RegistryTable(table, index(table.indexKind()), moColumns, model, views));
        }
    }

    private static MOTableIndex index(IndexKind kind) {
        return switch (kind) {
            case CONNECT_INDEX -> new MOTableIndex(new MOTableSubIndex[]{
                    new MOTableSubIndex(SMIConstants.SYNTAX_GAUGE32)});
            case LISTENER -> new MOTableIndex(new MOTableSubIndex[]{
                    new MOTableSubIndex(SMIConstants.SYNTAX_INTEGER),
                    new MOTableSubIndex(SMIConstants.SYNTAX_OCTET_STRING, 0, 255),
                    new MOTableSubIndex(SMIConstants.SYNTAX_GAUGE32)});
            case SCALAR -> throw new IllegalArgumentException("scalars are not tables");
            case CONNECTION_TUPLE -> new MOTableIndex(new MOTableSubIndex[]{
                    new MOTableSubIndex(SMIConstants.SYNTAX_INTEGER),
                    new MOTableSubIndex(SMIConstants.SYNTAX_OCTET_STRING, 0, 255),
                    new MOTableSubIndex(SMIConstants.SYNTAX_GAUGE32),
                    new MOTableSubIndex(SMIConstants.SYNTAX_INTEGER),
                    new MOTableSubIndex(SMIConstants.SYNTAX_OCTET_STRING, 0, 255),
                    new MOTableSubIndex(SMIConstants.SYNTAX_GAUGE32)});
        };
    }

    public void register(MOServer server, OctetString context) throws DuplicateRegistrationException {
        for (var table : tables) {
            server.register(table, context);
        }
    }

    public void unregister(MOServer server, OctetString context) {
        for (var table : tables) {
            server.unregister(table, context);
        }
    }
}
