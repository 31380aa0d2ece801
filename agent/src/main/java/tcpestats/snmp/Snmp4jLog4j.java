package tcpestats.snmp;

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
 */
public final class Snmp4jLog4j extends LogFactory {

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
            logger.warn(String.valueOf(message));
        }

        @Override
        public void error(Serializable message) {
            logger.error(String.valueOf(message));
        }

        @Override
        public void error(CharSequence message, Throwable throwable) {
            logger.error(String.valueOf(message), throwable);
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
