package tcpestats.snmp4j;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.snmp4j.log.LogAdapter;
import org.snmp4j.log.LogFactory;
import org.snmp4j.log.LogLevel;

import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;

/**
 * Sends SNMP4J's logging to Log4j 2 (SNMP4J 3.x ships no such bridge). Install it
 * before any SNMP4J class is loaded: their loggers are static fields.
 * <p>
 * SNMP4J logs every malformed or unauthenticated datagram, at WARN or ERROR as it sees fit,
 * some with a stack trace. Anyone who can reach the agent's port could fill its disk, and
 * SNMPv2-MIB and the USM counters already count those messages (snmpInASNParseErrs,
 * usmStatsWrongDigests, ...). So its warnings and errors together pass at most a burst of 20,
 * then one a second; the next one that passes says how many were held back. A stack trace
 * is logged at DEBUG only.
 */
public final class Snmp4jLog4j extends LogFactory {
    private static final int BURST = 20;
    private static final long NANOS_PER_LINE = 1_000_000_000L;
    private static final Object LIMIT = new Object();
    private static double allowance = BURST;
    private static long lastNanos = System.nanoTime();
    private static long heldBack;

    /**
     * Whether a warning or error may be logged now; if so, and lines were held back since the
     * last one, {@code message} gets their count appended.
     */
    private static String admit(Object message) {
        synchronized (LIMIT) {
            long now = System.nanoTime();
            allowance = Math.min(BURST, allowance + (double) (now - lastNanos) / NANOS_PER_LINE);
            lastNanos = now;
            if (allowance < 1) {
                heldBack++;
                return null;
            }
            allowance -= 1;
            String text = String.valueOf(message);
            if (heldBack > 0) {
                text += " (and " + heldBack + " more SNMP4J warnings and errors not logged: at most "
                        + BURST + ", then one a second)";
                heldBack = 0;
            }
            return text;
        }
    }

    @Override
    protected LogAdapter createLogger(Class<?> c) {
        return new Adapter(LogManager.getLogger(c));
    }

    @Override
    protected LogAdapter createLogger(String className) {
        return new Adapter(LogManager.getLogger(className));
    }

    @Override
    public LogAdapter getRootLogger() {
        return new Adapter(LogManager.getRootLogger());
    }

    private record Adapter(Logger logger) implements LogAdapter {
        @Override
        public boolean isDebugEnabled() {
            return logger.isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return logger.isInfoEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return logger.isWarnEnabled();
        }

        @Override
        public void debug(Serializable message) {
            logger.debug(String.valueOf(message));
        }

        @Override
        public void info(CharSequence message) {
            logger.info(String.valueOf(message));
        }

        @Override
        public void warn(Serializable message) {
            String text = logger.isWarnEnabled() ? admit(message) : null;
            if (text != null) {
                logger.warn(text);
            }
        }

        @Override
        public void error(Serializable message) {
            String text = logger.isErrorEnabled() ? admit(message) : null;
            if (text != null) {
                logger.error(text);
            }
        }

        @Override
        public void error(CharSequence message, Throwable throwable) {
            String text = logger.isErrorEnabled() ? admit(message + ": " + throwable) : null;
            if (text != null) {
                logger.error(text);
            }
            logger.debug("SNMP4J: {}", message, throwable);
        }

        @Override
        public void fatal(Object message) {
            logger.fatal(String.valueOf(message));
        }

        @Override
        public void fatal(CharSequence message, Throwable throwable) {
            logger.fatal(String.valueOf(message), throwable);
        }

        @Override
        public void setLogLevel(LogLevel level) {
            // levels are Log4j's configuration
        }

        @Override
        public LogLevel getLogLevel() {
            return getEffectiveLogLevel();
        }

        @Override
        public LogLevel getEffectiveLogLevel() {
            Level level = logger.getLevel();
            if (level.isMoreSpecificThan(Level.ERROR)) {
                return level == Level.OFF ? LogLevel.OFF : LogLevel.ERROR;
            }
            if (level == Level.WARN) {
                return LogLevel.WARN;
            }
            if (level == Level.INFO) {
                return LogLevel.INFO;
            }
            return LogLevel.DEBUG;
        }

        @Override
        public String getName() {
            return logger.getName();
        }

        @Override
        public Iterator<?> getLogHandler() {
            return Collections.emptyIterator();
        }
    }
}
