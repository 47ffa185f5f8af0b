package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.halfopen.jdk.mail.HalfOpenMail;
import io.halfopen.jdk.okhttp.HalfOpenOkHttp;
import io.halfopen.limiter.HalfOpenLimiter;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Properties;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * README's "Plain JDK sockets" examples, as written there but for the peer's address (a local GreenMail and
 * mockwebserver3 instead of example.org): if one stops compiling or working, so does the README.
 */
class ReadmeExamplesTest {

    @Test
    void theJakartaMailExampleDelivers() throws Exception {
        final GreenMail mx = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mx.start();
        try {
            HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();        // one per process

            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");               // README: mx.example.org
            props.put("mail.smtp.port", Integer.toString(mx.getSmtp().getPort()));
            props.put("mail.smtp.connectiontimeout", "30000");        // the queue wait and the TCP handshake, together
            HalfOpenMail.limit(props, "smtp", limiter);               // mail.smtp.socketFactory + socketFactory.fallback=false
            Session session = Session.getInstance(props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom("postmaster@example.com");
            message.setRecipients(Message.RecipientType.TO, "someone@example.org");
            message.setSubject("hello");
            message.setText("sent through halfopen");
            Transport.send(message);                                  // waits while 10 connects are half-open

            assertTrue(mx.waitForIncomingEmail(5_000, 1));
            assertEquals("hello", mx.getReceivedMessages()[0].getSubject());
            assertEquals(1, limiter.stats().established());
        } finally {
            mx.stop();
        }
    }

    @Test
    void theOkHttpExampleFetches() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().body("hello").build());
            server.start(InetAddress.getLoopbackAddress(), 0);
            final HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();

            OkHttpClient client = HalfOpenOkHttp.limit(new OkHttpClient.Builder(), limiter)   // socketFactory(...)
                    .connectTimeout(Duration.ofSeconds(10))   // covers the wait for a slot and the TCP handshake
                    .build();
            try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
                assertEquals("hello", response.body().string());
            }
            assertEquals(1, limiter.stats().established());
        }
    }
}
