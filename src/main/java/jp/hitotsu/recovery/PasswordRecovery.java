package jp.hitotsu.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountService.PasswordReplacement;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.PasswordRejection;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.mail.Mailer;
import jp.hitotsu.realm.Realm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.MessageSource;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Forgot password" by e-mail: a single-use link that expires, sent to the verified address
 * of each account that has it.
 *
 * <p>
 * Whoever asks gets the same answer, at the same speed, whether the address is known or
 * not: the request is handed to a background thread before anything is looked up, and
 * only the audit trail records what was found.
 */
@Service
public class PasswordRecovery {

	private static final Logger logger = LoggerFactory.getLogger(PasswordRecovery.class);

	/** One mail per account and minute at most: nobody floods a mailbox through us. */
	static final Duration RESEND_PAUSE = Duration.ofMinutes(1);

	private static final EmailLinks.Purpose RESET = EmailLinks.Purpose.PASSWORD_RESET;

	private final AccountService accounts;

	private final EmailLinks links;

	private final AuditTrail audit;

	private final Mailer mailer;

	private final MessageSource messages;

	private final TaskExecutor background;

	private final TransactionTemplate transaction;

	private final Clock clock;

	PasswordRecovery(AccountService accounts, EmailLinks links, AuditTrail audit, Mailer mailer,
			MessageSource messages, @Qualifier("applicationTaskExecutor") TaskExecutor background,
			TransactionTemplate transaction, Clock clock) {
		this.accounts = accounts;
		this.links = links;
		this.audit = audit;
		this.mailer = mailer;
		this.messages = messages;
		this.background = background;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * Sends a reset link to every account of the realm with this verified address, later,
	 * on another thread.
	 * @param requestBaseUrl the server's URL as the request reached it, for the link
	 */
	public void requestReset(Realm realm, String email, Locale locale, String requestBaseUrl, String ipAddress) {
		this.background.execute(() -> {
			try {
				sendLinks(realm, email, locale, this.mailer.linkBase(requestBaseUrl), ipAddress);
			}
			catch (RuntimeException ex) {
				logger.error("Password-reset request in realm '{}' failed", realm.name(), ex);
			}
		});
	}

	/** Whether the link's token may still set a password in this realm. */
	public boolean linkUsable(Realm realm, String token) {
		return this.links.usableAccount(RESET, realm.name(), token, this.clock.instant()).isPresent();
	}

	/**
	 * Sets the password through a link and spends the account's links. A refused password
	 * leaves the link usable, so the person can try another.
	 */
	@Transactional
	public ResetOutcome reset(Realm realm, String token, String chosen, String ipAddress) {
		Instant now = this.clock.instant();
		Optional<UUID> account = this.links.usableAccount(RESET, realm.name(), token, now);
		if (account.isEmpty()) {
			return ResetOutcome.LINK_UNUSABLE;
		}
		Optional<PasswordRejection> rejection = this.accounts.replacePassword(realm, account.get().toString(), chosen,
				PasswordReplacement.RESET_LINK, ipAddress);
		if (rejection.isPresent()) {
			return new ResetOutcome(true, rejection);
		}
		this.links.spendAll(RESET, account.get(), now);
		return ResetOutcome.DONE;
	}

	/**
	 * What a reset attempt came to.
	 * @param linkUsable false when the link was used, expired or never issued
	 * @param rejection why the password was refused, if it was
	 */
	public record ResetOutcome(boolean linkUsable, Optional<PasswordRejection> rejection) {

		static final ResetOutcome LINK_UNUSABLE = new ResetOutcome(false, Optional.empty());

		static final ResetOutcome DONE = new ResetOutcome(true, Optional.empty());

		public boolean done() {
			return this.linkUsable && this.rejection.isEmpty();
		}

	}

	private void sendLinks(Realm realm, String email, Locale locale, String linkBase, String ipAddress) {
		List<Identity> found = this.accounts.findByVerifiedEmail(realm.name(), email);
		if (found.isEmpty()) {
			this.audit.record(requested(realm, ipAddress, email).detail("known", false).build());
			return;
		}
		for (Identity identity : found) {
			Optional<String> token = this.transaction.execute((status) -> issue(realm, identity, email, ipAddress));
			if (token.isPresent()) {
				String link = linkBase + "/realms/" + realm.name() + "/login/reset-password?token=" + token.get();
				this.mailer.send(identity.email(), this.messages.getMessage("recovery.mail.subject",
						new Object[] { realm.displayName().in(locale) }, locale), mailText(realm, identity, link, locale));
			}
		}
	}

	private Optional<String> issue(Realm realm, Identity identity, String email, String ipAddress) {
		Instant now = this.clock.instant();
		AuditEvent.Builder event = requested(realm, ipAddress, email).detail("known", true)
			.subject(identity.subject())
			.username(identity.username());
		this.links.lock(identity.id());
		if (this.links.issuedSince(RESET, identity.id(), now.minus(RESEND_PAUSE))) {
			this.audit.record(event.detail("sent", false).detail("reason", "a link was sent less than a minute ago").build());
			return Optional.empty();
		}
		String token = this.links.issue(RESET, realm.name(), identity.id(), now, realm.passwordPolicy().resetLinkLifetime());
		this.audit.record(event.detail("sent", true).build());
		return Optional.of(token);
	}

	private static AuditEvent.Builder requested(Realm realm, String ipAddress, String email) {
		return AuditEvent.of(realm.name(), AuditEventType.PASSWORD_RESET_REQUESTED).ipAddress(ipAddress).detail("email", email);
	}

	private String mailText(Realm realm, Identity identity, String link, Locale locale) {
		String name = (identity.name() != null) ? identity.name() : identity.username();
		return this.messages.getMessage("recovery.mail.text", new Object[] { name, realm.displayName().in(locale),
				identity.username(), link, linkMinutes(realm) }, locale);
	}

	/** The link's lifetime in whole minutes, rounded up, as pages and mails state it. */
	public static long linkMinutes(Realm realm) {
		Duration lifetime = realm.passwordPolicy().resetLinkLifetime();
		return lifetime.plusSeconds(59).toMinutes();
	}

}
