package io.halfopen.sim.host;

/** Whoever submitted a {@link Connect}: told once when it ends, after the recorder, and may submit it again. */
@FunctionalInterface
public interface ConnectOwner {

    /** An owner that does nothing when its attempts end (open-loop workloads). */
    ConnectOwner NONE = (connect, ending) -> { };

    /**
     * The attempt ended.
     *
     * @param connect the attempt, free to be submitted again
     * @param ending  how it ended
     */
    void ended(Connect connect, Ending ending);
}
