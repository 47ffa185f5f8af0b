/**
 * halfopen's policy simulator: one host's workloads and traces, and worm epidemics across a population, run in
 * virtual time through the real limiter and its policies, with reports (table, CSV, JSON, PNG charts).
 */
module io.halfopen.sim {
    // limiter-core: the automatic module its jar names until it gets a module-info of its own (issue 10).
    requires io.halfopen.limiter;
    requires HdrHistogram;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.csv;
    requires org.knowm.xchart;
    requires java.desktop;
    requires me.tongfei.progressbar;
    requires info.picocli;

    exports io.halfopen.sim.engine;
    exports io.halfopen.sim.host;
    exports io.halfopen.sim.net;
    exports io.halfopen.sim.policy;
    exports io.halfopen.sim.spec;
    exports io.halfopen.sim.metrics;
    exports io.halfopen.sim.workload;
    exports io.halfopen.sim.run;
    exports io.halfopen.sim.population;
    exports io.halfopen.sim.report;
    exports io.halfopen.sim.trace;
    exports io.halfopen.sim.cli;

    opens io.halfopen.sim.report to tools.jackson.databind;
    opens io.halfopen.sim.cli to info.picocli;
}
