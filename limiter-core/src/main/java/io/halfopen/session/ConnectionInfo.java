package io.halfopen.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the protocol knows about an inbound connection when it asks {@link InboundSessionLimiter} for a
 * session: which remote computer it comes from, which user it authenticated as, which client software it
 * runs, and whether it is anonymous.
 *
 * <p>By default the computer is the remote IP address, the user name and client type are empty, and the
 * connection is not anonymous: it joins its computer's session, whoever authenticated on it, or opens one. A
 * protocol may name the computer itself ({@link #withComputer(String)}, for NAT or NetBIOS names), name an
 * authenticated user ({@link #withUser(String, String)}: a second user from the same computer opens a second
 * session), or declare the connection anonymous ({@link #asAnonymous()}: a null session of its own).
 *
 * <p>Computer names have one canonical form: an IPv4-mapped IPv6 address is its IPv4 address, any other IPv6
 * address is written as RFC 5952 says ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}), and a name given by the
 * protocol is canonicalized the same way, so {@code withComputer("[0::1]")} is the computer {@code ::1}. A
 * leading {@code \\} and whitespace around the name, before or after the {@code \\}, are not part of it. Names
 * are never looked up. Computer and user names are compared ignoring case, as Windows does, and shown as
 * first given.
 *
 * <p>Immutable and thread-safe; every {@code with} method returns a new instance.
 */
public final class ConnectionInfo {

    private final InetAddress remoteAddress;
    private final String computer;
    private final String userName;
    private final String clientType;
    private final boolean anonymous;

    private ConnectionInfo(final InetAddress remoteAddress, final String computer, final String userName,
                           final String clientType, final boolean anonymous) {
        this.remoteAddress = remoteAddress;
        this.computer = computer;
        this.userName = userName;
        this.clientType = clientType;
        this.anonymous = anonymous;
    }

    /**
     * Describes a connection from {@code remote}; the computer is its IP address (no reverse lookup), or
     * its host string, canonicalized, if it is unresolved.
     *
     * @param remote the remote socket address; never null
     * @return a description with an empty user name, not anonymous
     */
    public static ConnectionInfo from(final InetSocketAddress remote) {
        Objects.requireNonNull(remote, "remote");
        final InetAddress address = remote.getAddress();
        return address != null
                ? from(address)
                : new ConnectionInfo(null, ComputerNames.normalize(remote.getHostString(), "remote"), "", "", false);
    }

    /**
     * Describes a connection from {@code remote}; the computer is its IP address.
     *
     * @param remote the remote address; never null
     * @return a description with an empty user name, not anonymous
     */
    public static ConnectionInfo from(final InetAddress remote) {
        Objects.requireNonNull(remote, "remote");
        return new ConnectionInfo(remote, ComputerNames.fromAddress(remote), "", "", false);
    }

    /**
     * Describes a connection from a computer the protocol names, with no known address.
     *
     * @param computer the computer name, for example a NetBIOS name or an IP address in any spelling; a leading
     *                 {@code \\} is ignored
     * @return a description with an empty user name, not anonymous
     * @throws IllegalArgumentException if it names no computer: blank, a path ({@code \\HOST\IPC$}), or a
     *                                  malformed IPv6 address
     */
    public static ConnectionInfo fromComputer(final String computer) {
        return new ConnectionInfo(null, ComputerNames.normalize(computer, "computer"), "", "", false);
    }

    /**
     * Returns a copy whose computer is {@code computer} instead of the remote address: the hook for NAT
     * or NetBIOS names.
     *
     * @param computer the computer name; a leading {@code \\} is ignored; never null or blank
     * @return the changed copy
     * @throws IllegalArgumentException if it names no computer (see {@link #fromComputer(String)})
     */
    public ConnectionInfo withComputer(final String computer) {
        return new ConnectionInfo(remoteAddress, ComputerNames.normalize(computer, "computer"), userName,
                clientType, anonymous);
    }

    /**
     * Returns a copy authenticated as {@code userName}, no longer anonymous. The connection joins that user's
     * session on its computer, names the computer's session if nobody authenticated on it yet, or opens a
     * session of its own (a second user context).
     *
     * @param userName   the user name, empty for the computer's default session; never null
     * @param clientType the client software, for the {@code net session} table, may be empty; never null
     * @return the changed copy
     */
    public ConnectionInfo withUser(final String userName, final String clientType) {
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(clientType, "clientType");
        return new ConnectionInfo(remoteAddress, computer, userName.strip(), clientType.strip(), false);
    }

    /**
     * Returns a copy declared anonymous, with an empty user name: each anonymous connection is a null
     * session of its own and counts separately against the limit (KB 328459).
     *
     * @return the changed copy
     */
    public ConnectionInfo asAnonymous() {
        return new ConnectionInfo(remoteAddress, computer, "", clientType, true);
    }

    /**
     * Returns the remote IP address, if the connection was described by one.
     *
     * @return the remote address, or empty
     */
    public Optional<InetAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /**
     * Returns the computer name, in its canonical form, without a leading {@code \\}.
     *
     * @return the computer name
     */
    public String computer() {
        return computer;
    }

    /**
     * Returns the user name; empty for a computer's default session and for null sessions.
     *
     * @return the user name, never null
     */
    public String userName() {
        return userName;
    }

    /**
     * Returns the client software named by the protocol; empty if unknown.
     *
     * @return the client type, never null
     */
    public String clientType() {
        return clientType;
    }

    /**
     * Returns whether the connection is anonymous, a null session.
     *
     * @return {@code true} if declared anonymous
     */
    public boolean anonymous() {
        return anonymous;
    }

    @Override
    public String toString() {
        return "\\\\" + computer + (anonymous ? " (anonymous)" : " user '" + userName + "'");
    }
}
