package io.halfopen.netty;

/** The connect storm on the NIO transport. */
class NioConnectStormTest extends ConnectStormTest {

    NioConnectStormTest() {
        super(TestTransport.NIO);
    }
}
