package jp.hitotsu.mail;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mail the server sends to people (password-reset links). The SMTP server itself is
 * Spring Boot's {@code spring.mail.*}; without {@code spring.mail.host} mail goes to the
 * outbox directory instead.
 *
 * @param from the sender address of every mail
 * @param linkBaseUrl the server's public URL, for the links in mails (e.g.
 * {@code https://id.example.city.jp}); when absent, the URL the request that asks for the
 * mail was sent to. Set it when the server can be reached under a host name that is not
 * its public one: the request's {@code Host} header is chosen by whoever sends it
 */
@Validated
@ConfigurationProperties("hitotsu.mail")
public record OutgoingMailProperties(@DefaultValue("Hitotsu <no-reply@localhost>") @NotBlank String from, URI linkBaseUrl) {

	public OutgoingMailProperties {
		if (linkBaseUrl != null && (!linkBaseUrl.isAbsolute() || linkBaseUrl.getHost() == null)) {
			throw new IllegalArgumentException(
					"hitotsu.mail.link-base-url must be an absolute http(s) URL, got '" + linkBaseUrl + "'");
		}
	}

}
