package tcpestats.snmp;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.snmp4j.PDU;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableCellInfo;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import tcpestats.collect.Control;
import tcpestats.collect.Field;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;
import tcpestats.store.StoreRow;

import java.util.List;

/**
 * tcpEStatsTuneTable with SET: a write is validated in prepare (notWritable while
 * tcpEStatsControlTune is false, wrongType, wrongValue, inconsistentValue, noCreation
 * for a connection that is gone) and applied to the live socket from the kernel side in
 * commit; GET then reads back the limit now in force.
 */
final class TuneTable extends RegistryTable {
    private static final Logger LOG = LogManager.getLogger(TuneTable.class);
    private static final long MAX_WINDOW_CLAMP = 0x7FFF_FFFFL;

    /** A validated SET, and the limit it replaces (for undo). */
    private record Change(long netns, long cookie, boolean cwnd, long value, long previous) {
    }

    private final List<MibVariable> variables;
    private final EstatsControls controls;
    private final EstatsStore store;
    private final ConnectionTuner tuner;

    TuneTable(MibTable table, MOTableIndex index, MOColumn[] columns, RegistryTableModel model, TableViews views,
              List<MibVariable> variables, EstatsControls controls, EstatsStore store, ConnectionTuner tuner) {
        super(table, index, columns, model, views);
        this.variables = variables;
        this.controls = controls;
        this.store = store;
        this.tuner = tuner;
    }

    @Override
    public void prepare(SubRequest<?> request) {
        MOTableCellInfo cell = getCellInfo(request.getVariableBinding().getOid());
        int column = cell.getColumn();
        if (column < 0 || column >= variables.size() || cell.getIndex() == null) {
            // not a column this agent serves (tcpEStatsTuneLimSsthresh: Linux has no such limit)
            request.getStatus().setErrorStatus(PDU.noCreation);
            return;
        }
        MibVariable variable = variables.get(column);
        if (!controls.on(Control.TUNE) || !variable.writable()) {
            request.getStatus().setErrorStatus(PDU.notWritable);
            return;
        }
        Variable value = request.getVariableBinding().getVariable();
        if (value.getSyntax() != SMIConstants.SYNTAX_UNSIGNED_INTEGER32) {
            request.getStatus().setErrorStatus(PDU.wrongType);
            return;
        }
        update(request.getScope(), request);
        StoreRow row = getModel().storeRow(cell.getIndex());
        if (!(row instanceof ConnectionRow connection)) {
            request.getStatus().setErrorStatus(PDU.noCreation);
            return;
        }
        if (!tuner.reaches(connection.socket().netns())) {
            // another namespace, which the agent may not enter (CAP_SYS_ADMIN)
            request.getStatus().setErrorStatus(PDU.notWritable);
            return;
        }
        long octets = ((UnsignedInteger32) value).getValue();
        long mss = connection.socket().get(Field.MSS_CACHE);
        switch (variable.name()) {
            case "tcpEStatsTuneLimCwnd" -> {
                if (mss == 0 || octets < mss) {
                    request.getStatus().setErrorStatus(PDU.wrongValue); // less than one segment
                    return;
                }
                request.setUndoValue(new Change(connection.socket().netns(), connection.socket().cookie(), true, octets / mss,
                        connection.socket().get(Field.SND_CWND_CLAMP)));
            }
            case "tcpEStatsTuneLimRwin" -> {
                if (octets == 0 || octets > MAX_WINDOW_CLAMP) {
                    request.getStatus().setErrorStatus(PDU.wrongValue);
                    return;
                }
                request.setUndoValue(new Change(connection.socket().netns(), connection.socket().cookie(), false, octets,
                        connection.socket().get(Field.WINDOW_CLAMP)));
            }
            // the MSS is fixed at the handshake: Linux cannot change it on an open connection
            default -> {
                request.getStatus().setErrorStatus(PDU.inconsistentValue);
                return;
            }
        }
        request.completed();
    }

    @Override
    public void commit(SubRequest<?> request) {
        Change change = (Change) request.getUndoValue();
        if (!apply(change, change.value())) {
            request.getStatus().setErrorStatus(PDU.commitFailed);
            return;
        }
        store.invalidate();
        request.completed();
    }

    @Override
    public void undo(SubRequest<?> request) {
        Change change = (Change) request.getUndoValue();
        if (change != null && change.previous() > 0 && !apply(change, change.previous())) {
            request.getStatus().setErrorStatus(PDU.undoFailed);
            return;
        }
        store.invalidate();
        request.completed();
    }

    @Override
    public void cleanup(SubRequest<?> request) {
        request.completed();
    }

    private boolean apply(Change change, long value) {
        Integer rc = change.cwnd() ? tuner.apply(change.netns(), change.cookie(), value, 0)
                : tuner.apply(change.netns(), change.cookie(), 0, value);
        if (rc == null) {
            LOG.info("Tune SET for a connection that closed meanwhile");
            return false;
        }
        if (rc != 0) {
            LOG.warn("Tune SET: bpf_setsockopt failed with errno {}", -rc);
            return false;
        }
        return true;
    }
}
