package io.halfopen.policy;

import java.util.function.Consumer;

/**
 * The live state of one {@link AdmissionPolicy} inside one limiter: it decides, ticket by ticket, who may go
 * half-open now and who waits. One gate per limiter; every method may be called from any thread, concurrently.
 *
 * <h2>What the limiter guarantees</h2>
 * <ol>
 *   <li>{@link #enter} is called once per ticket, before anything else concerning it. It may be called during
 *       or after {@link #close()}, for an attempt that started as the limiter closed: the gate answers it as it
 *       would have before (so {@code close()} must not free what {@code enter} needs); the limiter then
 *       withdraws a waiting answer at once, and an admitted ticket exits later. (A guarantee of "never after
 *       close" would cost every attempt two more atomic operations on one shared counter, for nothing a gate
 *       cannot do itself.)</li>
 *   <li>{@link #exit} is called exactly once for every ticket that got a slot (from {@code enter}, or a
 *       {@code tryAdmit()} that returned {@code true}), once its socket has left SYN_SENT; never for any other
 *       ticket; with the ticket object that entered.</li>
 *   <li>{@link Admission.Waiting#withdraw()} is called exactly once for every waiting ticket that leaves
 *       without a slot, after it has made sure its {@code tryAdmit()} answers {@code false} from then on. A
 *       waiting ticket gets exactly one of the two: a {@code tryAdmit()} that returns {@code true}, or a
 *       withdrawal.</li>
 *   <li>On close, the limiter first collects the waiting tickets through {@link #forEachQueued}, whose action
 *       only adds each to a list and never calls into the gate (so a gate may run it under its own lock, while
 *       iterating its own structure); once {@code forEachQueued} has returned, it withdraws each of them, and
 *       then calls {@link #close()}. Tickets holding slots still exit later.</li>
 * </ol>
 *
 * <h2>What a gate must guarantee</h2>
 * <ol>
 *   <li>Conservation: a slot handed out (an {@linkplain Admission#admitted() admission}, or a {@code tryAdmit()}
 *       that returned {@code true}) is counted until its {@code exit}, and never more than
 *       {@link AdmissionPolicy#maxHalfOpen()} are counted at once. A slot offered to a ticket that declines
 *       ({@code tryAdmit()} returned {@code false}) is still the gate's: it offers it to the next ticket or
 *       frees it. A gate never offers a slot twice to one ticket.</li>
 *   <li>No waiter left behind: a waiting ticket is offered a slot as soon as the policy would give it one,
 *       whatever happened to the tickets around it (left, declined, exited), unless it leaves first.</li>
 *   <li>FIFO, for a gate that claims it: waiting tickets are offered slots in the order they entered, and a
 *       ticket that enters while others wait never takes a slot before them, not even one freed an instant
 *       earlier and not offered yet (a gate that releases its waiters from a timer keeps the freed slot for
 *       them). The limiter cannot reorder a gate's admissions, so the contract test checks this: it enters a
 *       newcomer between an exit and the offer that follows it.</li>
 *   <li>Withdrawal (see {@link Admission.Waiting#withdraw()}) is O(1) or O(log n), never blocks, drops every
 *       reference to the ticket, and hands on any slot that was on its way to it.</li>
 *   <li>Time comes only from the {@link PolicyContext} the gate was created with: {@code ticker()} for
 *       reading it, {@code scheduler()} for timers (a delay queue released by a timer, a refill, a window).
 *       A gate never reads {@link System#nanoTime()}, never starts a thread and never blocks, so that it runs
 *       the same in production, on an event loop, and in the simulator's virtual time.</li>
 *   <li>{@code tryAdmit()} may run the owner's code on the calling thread (see {@link AdmissionTicket}), and
 *       that code may call {@code exit}, {@code enter} or {@code withdraw()} on this gate, on this thread,
 *       before {@code tryAdmit()} returns (an owner whose connect fails at once reports inside its grant
 *       callback). So a gate calls {@code tryAdmit()} holding no lock of its own (it collects the tickets to
 *       offer under its lock and offers after releasing it), and its offer loop tolerates being re-entered.
 *       The limiter cannot make this safe on the gate's behalf: a gate's timer calls {@code tryAdmit()} from
 *       the scheduler's thread, outside any call of the limiter, so the contract test checks it instead, with
 *       tickets that exit inside {@code tryAdmit()}.</li>
 *   <li>After {@link #close()} the gate stops its timers and offers no more slots from them; {@code exit} and
 *       {@code withdraw()} keep working, because attempts that hold slots end later.</li>
 * </ol>
 * The gate contract test in this project's test sources holds every built-in gate to these rules, and a
 * fixed-rate release written only against this package passes it too.
 *
 * <h2>Composing gates</h2>
 * A gate that adds a rule on top of another policy (a per-destination cap, a fixed-rate release, a token
 * bucket, each {@code within(halfOpenCap(10))}) creates the inner gate with the same {@link PolicyContext},
 * keeps each ticket in its own structure while its own rule holds it back, and then {@code enter}s the inner
 * gate with that same ticket: the inner gate offers it the slot directly, and the ticket's {@code exit} is
 * passed on to the inner gate (and counted by the outer rule first, if it counts per ticket). A composite
 * that must learn when the inner gate grants its ticket enters the inner gate with a wrapper ticket instead,
 * whose {@code tryAdmit()} does its bookkeeping and then asks the real ticket, and then exits the inner gate
 * with that wrapper. When a ticket withdraws, the composite removes it from its own structure, or withdraws
 * the inner gate's {@link Admission.Waiting} if the ticket had moved on. Its {@link #halfOpen()} is the inner
 * gate's, and its {@link #close()} closes the inner gate.
 */
public interface AdmissionGate {

    /**
     * Admits the ticket now, takes it into the gate to wait, or refuses it.
     *
     * @param ticket the attempt
     * @return {@link Admission#admitted()}, a {@link Admission.Waiting} of this gate, or
     *         {@link Admission#refused(String)}
     */
    Admission enter(AdmissionTicket ticket);

    /**
     * Gives back the slot of an admitted ticket, once its socket has left SYN_SENT. May offer the slot to the
     * next waiting ticket on this thread.
     *
     * @param ticket  the ticket that was admitted
     * @param outcome how the attempt ended, for policies that learn from it
     */
    void exit(AdmissionTicket ticket, Outcome outcome);

    /**
     * Returns how many admitted tickets have not exited yet; a racy snapshot, for stats.
     *
     * @return the number of half-open attempts the gate counts
     */
    int halfOpen();

    /**
     * Returns the highest {@link #halfOpen()} seen since creation.
     *
     * @return the peak
     */
    int peakHalfOpen();

    /**
     * Passes every ticket still waiting in the gate to {@code action}, oldest first where the gate has an
     * order: a weakly consistent view that may include tickets that are leaving. The limiter uses it on
     * shutdown to collect every waiter, and fails them after this returns: its action never calls into the
     * gate, so it may run under the gate's own lock.
     *
     * @param action receives each waiting ticket
     */
    void forEachQueued(Consumer<? super AdmissionTicket> action);

    /**
     * The limiter closed: stop timers and offer no more slots from them. Called once, after the limiter
     * failed the waiting tickets; {@code exit} and {@code withdraw()} may still be called afterwards, and so
     * may {@code enter}, for an attempt that raced with the close (answer it as before). The default does
     * nothing, for gates without timers.
     */
    default void close() {
    }
}
