package jp.hitotsu.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * One real SMTP server (GreenMail) for the test JVM, on a free port, started before the
 * shared Spring context so the server sends its mail there (see
 * {@link ServerTest#mailServer}). Tests tell their mail apart by recipient: give each test
 * account an address of its own.
 */
public final class TestMailServer {

	private static final GreenMail SERVER = start();

	private TestMailServer() {
	}

	private static GreenMail start() {
		GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "greenmail-stop"));
		return server;
	}

	static int port() {
		return SERVER.getSmtp().getPort();
	}

	/** Every message received so far for that address. */
	public static List<MimeMessage> messagesTo(String address) {
		return Arrays.stream(SERVER.getReceivedMessages()).filter((message) -> isFor(message, address)).toList();
	}

	/** Waits until that address has received {@code count} messages; answers them. */
	public static List<MimeMessage> awaitMessagesTo(String address, int count, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		List<MimeMessage> messages = messagesTo(address);
		while (messages.size() < count && Instant.now().isBefore(deadline)) {
			SERVER.waitForIncomingEmail(100, Integer.MAX_VALUE);
			messages = messagesTo(address);
		}
		if (messages.size() < count) {
			throw new AssertionError(count + " mail(s) to " + address + " expected within " + timeout + ", got "
					+ messages.size());
		}
		return messages;
	}

	private static boolean isFor(MimeMessage message, String address) {
		try {
			Address[] recipients = message.getAllRecipients();
			return recipients != null
					&& Arrays.stream(recipients).anyMatch((recipient) -> recipient.toString().equalsIgnoreCase(address));
		}
		catch (MessagingException ex) {
			throw new AssertionError(ex);
		}
	}

}
