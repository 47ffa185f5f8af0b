package io.halfopen.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of limiter-core inside the agent jar: it sends limiter-core's log lines (event 4226, a
 * listener that threw) to {@link AgentLog}. In the agent jar SLF4J is relocated, and so is this provider's
 * service entry, so it is found only by the agent's own copy of SLF4J and never meets the application's SLF4J.
 *
 * <p>Public with a public constructor because {@link java.util.ServiceLoader} instantiates it. Thread-safe.
 */
public final class AgentSlf4jProvider implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = AgentSlf4jLogger::new;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public AgentSlf4jProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: AgentLog is static
    }
}
