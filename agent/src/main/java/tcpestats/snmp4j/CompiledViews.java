package tcpestats.snmp4j;

import org.snmp4j.agent.ManagedObject;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOChangeEvent;
import org.snmp4j.agent.mo.MOChangeListener;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.agent.mo.snmp.RowStatus;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SNMP4J-Agent's VACM with the view check of every variable binding answered from views compiled
 * once: VacmMIB finds a view's families in vacmViewTreeFamilyTable and decodes each row's index
 * for every OID a request reads (a sixth of a table walk's CPU). The families of a view are kept
 * until the table changes (a row added, removed or SET), and matched as VacmMIB matches them
 * (RFC 3415 5.2: of the active families whose subtree covers the OID under its mask, the longest
 * subtree, lexicographically last among equals, decides). Everything else is VacmMIB's.
 */
public final class CompiledViews implements VACM {
    private static final int INCLUDED = 1;

    /** A view's families, last in table order first: the first that covers an OID decides. */
    private record Family(int[] subtree, byte[] mask, boolean included) {
        boolean covers(OID oid) {
            if (oid.size() < subtree.length) {
                return false;
            }
            int[] sub = oid.getValue();
            for (int i = 0; i < subtree.length; i++) {
                if (subtree[i] != sub[i] && maskBit(i)) {
                    return false;
                }
            }
            return true;
        }

        /** A mask bit; past the mask's end every bit is 1 (RFC 3415 vacmViewTreeFamilyMask). */
        private boolean maskBit(int i) {
            return i / 8 >= mask.length || (mask[i / 8] & (1 << (7 - i % 8))) != 0;
        }
    }

    private final VacmMIB vacm;
    private final DefaultMOTable<?, ?, ?> families;
    private final Map<OctetString, Family[]> views = new ConcurrentHashMap<>();
    /** Counts changes of the family table: a view compiled while it changed is not kept. */
    private final AtomicLong version = new AtomicLong();

    private CompiledViews(VacmMIB vacm, DefaultMOTable<?, ?, ?> families) {
        this.vacm = vacm;
        this.families = families;
    }

    /** The VACM of {@code vacm}, whose vacmViewTreeFamilyTable is {@code familyTable}. */
    public static CompiledViews of(VacmMIB vacm, ManagedObject<?> familyTable) {
        if (!(familyTable instanceof DefaultMOTable<?, ?, ?> table)) {
            throw new IllegalArgumentException("vacmViewTreeFamilyTable is " + familyTable);
        }
        CompiledViews compiled = new CompiledViews(vacm, table);
        table.addMOChangeListener(compiled.new Invalidate());
        table.addMOTableRowListener(event -> compiled.changed());
        return compiled;
    }

    @Override
    public int isAccessAllowed(OctetString context, OctetString securityName, int securityModel, int securityLevel,
                               int viewType, OID oid) {
        return vacm.isAccessAllowed(context, securityName, securityModel, securityLevel, viewType, oid);
    }

    @Override
    public OctetString getViewName(OctetString context, OctetString securityName, int securityModel,
                                   int securityLevel, int viewType) {
        return vacm.getViewName(context, securityName, securityModel, securityLevel, viewType);
    }

    @Override
    public boolean hasContext(OctetString context) {
        return vacm.hasContext(context);
    }

    @Override
    public int isAccessAllowed(OctetString viewName, OID oid) {
        Family[] view = views.get(viewName);
        if (view == null) {
            view = compile(viewName);
        }
        if (view.length == 0) {
            return VACM_NO_SUCH_VIEW;
        }
        for (Family family : view) {
            if (family.covers(oid)) {
                return family.included() ? VACM_OK : VACM_NOT_IN_VIEW;
            }
        }
        return VACM_NOT_IN_VIEW;
    }

    private void changed() {
        version.incrementAndGet();
        views.clear();
    }

    /** The families of one view: rows whose index starts with the view name, active ones only. */
    private Family[] compile(OctetString viewName) {
        long at = version.get();
        OID prefix = viewName.toSubIndex(false);
        List<Family> list = new ArrayList<>();
        if (viewName.length() > 0) {
            synchronized (families.getModel()) {
                for (Iterator<? extends MOTableRow> it = families.getModel().tailIterator(prefix); it.hasNext(); ) {
                    MOTableRow row = it.next();
                    OID index = row.getIndex();
                    if (!index.startsWith(prefix)) {
                        break;
                    }
                    if (((Integer32) row.getValue(VacmMIB.idxVacmViewTreeFamilyRowStatus)).getValue()
                            != RowStatus.active) {
                        continue;
                    }
                    // the subtree: its length, then its sub-identifiers
                    int[] subtree = new OID(index.getValue(), prefix.size() + 1, index.size() - prefix.size() - 1)
                            .getValue();
                    byte[] mask = ((OctetString) row.getValue(VacmMIB.idxVacmViewTreeFamilyMask)).getValue();
                    boolean included = ((Integer32) row.getValue(VacmMIB.idxVacmViewTreeFamilyType)).getValue()
                            == INCLUDED;
                    list.addFirst(new Family(subtree, mask, included));
                }
            }
        }
        Family[] view = list.toArray(Family[]::new);
        if (version.get() == at) {
            views.put(viewName, view);
        }
        return view;
    }

    private final class Invalidate implements MOChangeListener {
        @Override
        public void beforePrepareMOChange(MOChangeEvent event) {
        }

        @Override
        public void afterPrepareMOChange(MOChangeEvent event) {
        }

        @Override
        public void beforeMOChange(MOChangeEvent event) {
        }

        @Override
        public void afterMOChange(MOChangeEvent event) {
            changed();
        }
    }
}
