/**
 * Netty integration of halfopen: {@link io.halfopen.netty.InboundSessionLimitHandler} puts Windows'
 * inbound session limit (XP Professional's 10 remote computers, XP Home's 5, error 71) in front of a
 * server's child pipelines.
 */
package io.halfopen.netty;
