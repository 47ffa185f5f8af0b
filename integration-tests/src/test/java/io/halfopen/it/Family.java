package io.halfopen.it;

/** The IP version of a peer's address. */
enum Family { IPV4, IPV6 }
