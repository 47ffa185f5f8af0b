package io.halfopen.agent.log;

import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One SLF4J logger of limiter-core, writing to {@link AgentLog} at INFO and above. Thread-safe. */
final class AgentSlf4jLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    AgentSlf4jLogger(final String name) {
        this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(final org.slf4j.event.Level level, final Marker marker,
            final String pattern, final Object[] arguments, final Throwable throwable) {
        final String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        AgentLog.log(switch (level) {
            case ERROR -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
            case TRACE -> System.Logger.Level.TRACE;
        }, name, message, throwable);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
