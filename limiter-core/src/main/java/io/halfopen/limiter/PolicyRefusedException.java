package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The admission policy refused the attempt outright ({@link io.halfopen.policy.Admission#refused(String)}):
 * a fast-fail rule, or a queue bound of the policy's own. Not XP's behaviour: XP's cap never refuses. A refusal
 * with a structured reason the limiter knows comes as a subclass: {@link DeadDestinationException}.
 */
public sealed class PolicyRefusedException extends HalfOpenLimitException permits DeadDestinationException {

    private static final long serialVersionUID = 1L;

    /** The name of the policy that refused the attempt. */
    private final String policy;
    /** The policy's reason. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param policy      the policy's name
     * @param reason      the policy's reason
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     */
    public PolicyRefusedException(final String policy, final String reason, final InetSocketAddress remote,
            final int maxHalfOpen, final int queued) {
        super("refused by the policy " + policy + ": " + reason, remote, maxHalfOpen, queued, Duration.ZERO);
        this.policy = policy;
        this.reason = reason;
    }

    /**
     * Returns the name of the policy that refused the attempt.
     *
     * @return the policy's name
     */
    public String policy() {
        return policy;
    }

    /**
     * Returns the policy's reason.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
