/**
 * halfopen for plain JDK sockets: {@link io.halfopen.jdk.HalfOpenSocketFactory},
 * {@link io.halfopen.jdk.HalfOpenSSLSocketFactory}, {@link io.halfopen.jdk.HalfOpenSocketChannels}, the reusable
 * {@link io.halfopen.jdk.BlockingConnect}, and adapters for OkHttp, Apache HttpClient 5 and Jakarta Mail, whose
 * libraries are optional: only the adapter of a client needs it.
 */
module io.halfopen.jdk {
    requires transitive io.halfopen.limiter;
    requires static transitive okhttp3;
    requires static transitive org.apache.httpcomponents.client5.httpclient5;
    requires static transitive org.apache.httpcomponents.core5.httpcore5;

    exports io.halfopen.jdk;
    exports io.halfopen.jdk.okhttp;
    exports io.halfopen.jdk.httpclient5;
    exports io.halfopen.jdk.mail;
}
