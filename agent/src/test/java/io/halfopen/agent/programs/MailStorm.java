package io.halfopen.agent.programs;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Jakarta Mail (Eclipse Angus) sending one message per target, each from its own thread, all at once, to the SMTP
 * server at that target ("MX hosts" that accept or drop). Knows nothing of halfopen.
 * Arguments: {@code timeoutMillis host:port:count ...}.
 */
public final class MailStorm {

    private MailStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final String timeout = args[0];
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        int n = 0;
        for (final InetSocketAddress target : targets) {
            final int serial = n++;
            final Thread t = new Thread(() -> {
                try {
                    final Properties props = new Properties();
                    props.setProperty("mail.smtp.host", target.getHostString());
                    props.setProperty("mail.smtp.port", Integer.toString(target.getPort()));
                    props.setProperty("mail.smtp.connectiontimeout", timeout);
                    props.setProperty("mail.smtp.timeout", timeout);
                    final Session session = Session.getInstance(props);
                    final MimeMessage message = new MimeMessage(session);
                    message.setFrom(new InternetAddress("storm@localhost"));
                    message.setRecipient(Message.RecipientType.TO, new InternetAddress("inbox@localhost"));
                    message.setSubject("message " + serial);
                    message.setText("hello " + serial);
                    go.await();
                    Transport.send(message);
                    tally.count("sent");
                } catch (final Exception e) {
                    tally.failure(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (final Thread t : threads) {
            t.join();
        }
        tally.print("messages=" + targets.size());
    }
}
