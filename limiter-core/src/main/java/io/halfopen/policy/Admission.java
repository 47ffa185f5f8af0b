package io.halfopen.policy;

/** What an {@link AdmissionGate} did with a ticket that asked to enter. */
public enum Admission {
    /** The ticket holds a slot now; the gate will not call {@link AdmissionTicket#tryAdmit()} for it. */
    ADMITTED,
    /**
     * The ticket waits; the gate will call {@link AdmissionTicket#tryAdmit()} for it exactly once, when a
     * slot is free for it (possibly before {@link AdmissionGate#enter} has returned).
     */
    QUEUED,
    /** The ticket may not wait ({@link AdmissionTicket#tryWait()} returned false) and no slot was free. */
    REJECTED
}
