package io.halfopen.testkit;

import java.util.Locale;

/**
 * Which judge {@link KernelJudge} may use, from the system property {@value KernelJudge#MODE_PROPERTY} or the
 * environment variable {@value KernelJudge#MODE_VARIABLE} ({@code trace}, {@code auto}, {@code sample}); when
 * neither is set, {@link #TRACE} under {@code CI=true} and {@link #AUTO} elsewhere.
 */
public enum JudgeMode {

    /** The trace, or a failed watch that names what is missing; never the sampler. CI's mode. */
    TRACE,

    /** The trace where it can run, else the sampler, saying so once per JVM and in every verdict. */
    AUTO,

    /** The sampler only (to compare, or where tracing must not run). */
    SAMPLE;

    /**
     * Parses a mode's name, in any case.
     *
     * @param name {@code trace}, {@code auto} or {@code sample}
     * @param from where the name came from, for the error
     * @return the mode
     * @throws IllegalArgumentException naming the bad value
     */
    static JudgeMode parse(final String name, final String from) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(from + " must be trace, auto or sample, was '" + name + "'");
        }
    }
}
