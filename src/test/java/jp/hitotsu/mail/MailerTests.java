package jp.hitotsu.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import jp.hitotsu.HitotsuProperties;
import jp.hitotsu.realm.Zone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;

/** Without an SMTP server, mail lands in the outbox as files a person can read. */
class MailerTests {

	@TempDir
	Path dataDir;

	@Test
	void sendWhenNoSmtpServerThenReadableOwnerOnlyFileInTheOutbox() throws IOException {
		Mailer mailer = new Mailer(new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class),
				new OutgoingMailProperties("Hitotsu <no-reply@localhost>", null),
				new HitotsuProperties(Zone.INTERNET, Path.of("config/realms"), this.dataDir), Clock.systemUTC());
		String link = "http://127.0.0.1:8080/realms/citizen/login/reset-password?token=" + "A".repeat(43);
		mailer.send("yamada@example.test", "パスワード再設定", "山田 様\n\n" + link + "\n");

		List<Path> files;
		try (var listing = Files.list(this.dataDir.resolve("outbox"))) {
			files = listing.toList();
		}
		assertThat(files).singleElement().satisfies((file) -> {
			assertThat(file.getFileName().toString()).endsWith(".eml");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
			String text = Files.readString(file, StandardCharsets.UTF_8);
			assertThat(text).contains("To: yamada@example.test").contains("山田 様").contains(link);
		});
	}

	@Test
	void linkBaseWhenConfiguredThenItWinsOverTheRequest() {
		Mailer configured = new Mailer(new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class),
				new OutgoingMailProperties("x@localhost", java.net.URI.create("https://id.example.city.jp/")),
				new HitotsuProperties(Zone.INTERNET, Path.of("config/realms"), this.dataDir), Clock.systemUTC());
		assertThat(configured.linkBase("http://evil.example")).isEqualTo("https://id.example.city.jp");
	}

}
