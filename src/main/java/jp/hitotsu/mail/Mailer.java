package jp.hitotsu.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.hitotsu.HitotsuProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/**
 * Sends plain-text mail: through SMTP when {@code spring.mail.host} is set (Spring Boot
 * then provides the {@link JavaMailSender}), otherwise into the outbox directory
 * {@code <hitotsu.data-dir>/outbox/} as {@code .eml} files, so the embedded default works
 * without a mail server and its mail can still be read.
 */
@Service
public class Mailer {

	private static final Logger logger = LoggerFactory.getLogger(Mailer.class);

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private final JavaMailSender smtp;

	private final OutgoingMailProperties properties;

	private final Path outbox;

	private final Clock clock;

	Mailer(ObjectProvider<JavaMailSender> smtp, OutgoingMailProperties properties, HitotsuProperties hitotsu, Clock clock) {
		this.smtp = smtp.getIfAvailable();
		this.properties = properties;
		this.outbox = hitotsu.dataDir().resolve("outbox");
		this.clock = clock;
	}

	/**
	 * Where links in mails point: the configured public URL, or else the base URL of the
	 * request that asks for the mail.
	 */
	public String linkBase(String requestBaseUrl) {
		String base = (this.properties.linkBaseUrl() != null) ? this.properties.linkBaseUrl().toString()
				: requestBaseUrl;
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * Sends one mail now (the caller decides whether that happens on a request's thread).
	 * @throws MailNotSentException when the SMTP server or the outbox refuses it
	 */
	public void send(String to, String subject, String text) {
		try {
			MimeMessage message = (this.smtp != null) ? this.smtp.createMimeMessage()
					: new MimeMessage(Session.getInstance(new Properties()));
			MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
			helper.setFrom(this.properties.from());
			helper.setTo(to);
			helper.setSubject(subject);
			helper.setText(text, false);
			message.setSentDate(java.util.Date.from(this.clock.instant()));
			if (this.smtp != null) {
				this.smtp.send(message);
			}
			else {
				writeToOutbox(message);
			}
		}
		catch (MessagingException | org.springframework.mail.MailException | UncheckedIOException ex) {
			throw new MailNotSentException("Mail to " + to + " not sent: " + ex.getMessage(), ex);
		}
	}

	/** The outbox is readable by the server's user only: its mail carries live links. */
	private void writeToOutbox(MimeMessage message) throws MessagingException {
		// 8bit, not quoted-printable: the file is read as it is, and a link must not wrap
		message.setHeader("Content-Transfer-Encoding", "8bit");
		message.saveChanges();
		Path file = this.outbox.resolve(FILE_TIME.format(this.clock.instant()) + "-" + UUID.randomUUID() + ".eml");
		try {
			Files.createDirectories(this.outbox);
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			try (OutputStream out = Files.newOutputStream(file)) {
				message.writeTo(out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		logger.info("No SMTP server is configured (spring.mail.host): mail written to {}", file.toAbsolutePath());
	}

	/** A mail could not be handed to the SMTP server or written to the outbox. */
	public static class MailNotSentException extends RuntimeException {

		MailNotSentException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
