package tcpestats.mib;

import tcpestats.store.StoreRow;

/** Reads one variable of a row; {@link #ABSENT} when the row has no value for it (yet). */
@FunctionalInterface
public interface RowValue {
    long ABSENT = Long.MIN_VALUE;

    long read(StoreRow row, ValueContext context);
}
