package jp.hitotsu.selfservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.mail.Mailer;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.recovery.EmailLinks;
import jp.hitotsu.recovery.EmailLinks.EmailChange;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person changes their account's e-mail address: the new address gets a single-use link
 * and the account keeps its old address until the link is opened, so a typo or a stranger
 * at the keyboard cannot take the account's mail (and its password resets) elsewhere. The
 * old address is told at once. A new address that another account of the realm has gets
 * no link, only a mail telling its owner; the person asking sees the same page either
 * way, so the page does not tell who has an account.
 */
@Service
class EmailChanges {

	/** One link a minute at most, as for sign-up and password resets. */
	private static final Duration RESEND_PAUSE = Duration.ofMinutes(1);

	private static final String VIA = "email-change";

	private final AccountService accounts;

	private final EmailLinks links;

	private final AuditTrail audit;

	private final Mailer mailer;

	private final MessageSource messages;

	private final TransactionTemplate transaction;

	private final Clock clock;

	EmailChanges(AccountService accounts, EmailLinks links, AuditTrail audit, Mailer mailer, MessageSource messages,
			TransactionTemplate transaction, Clock clock) {
		this.accounts = accounts;
		this.links = links;
		this.audit = audit;
		this.mailer = mailer;
		this.messages = messages;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * Sends the link to the new address (or the notice to its owner) and the notice to the
	 * old one.
	 * @return false when a link went out less than a minute ago: nothing is sent
	 */
	boolean request(Realm realm, Identity owner, String newEmail, Locale locale, String requestBaseUrl,
			String ipAddress) {
		String linkBase = this.mailer.linkBase(requestBaseUrl);
		Optional<Optional<String>> issued = Optional.ofNullable(this.transaction.execute((status) -> {
			Instant now = this.clock.instant();
			this.links.lock(owner.id());
			// the pause counts from the last mail, a link or the notice of an address in use
			if (this.audit.recordedSince(realm.name(), AuditEventType.EMAIL_VERIFICATION_SENT, owner.subject(),
					now.minus(RESEND_PAUSE))) {
				return null;
			}
			boolean inUse = this.accounts.addressInUse(realm.name(), owner.id(), newEmail);
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.EMAIL_VERIFICATION_SENT)
				.subject(owner.subject())
				.username(owner.username())
				.ipAddress(ipAddress)
				.detail("via", VIA)
				.detail("addressInUse", inUse)
				.build());
			return inUse ? Optional.<String>empty()
					: Optional.of(this.links.issueEmailChange(realm.name(), owner.id(), newEmail, now,
							realm.registration().verificationLinkLifetime()));
		}));
		if (issued.isEmpty()) {
			return false;
		}
		String realmName = realm.displayName().in(locale);
		String name = (owner.name() != null) ? owner.name() : owner.username();
		issued.get().ifPresentOrElse((token) -> {
			String link = linkBase + "/realms/" + realm.name() + "/account/email/confirm?token=" + token;
			this.mailer.send(newEmail, message("email-change.mail.subject", locale, realmName),
					message("email-change.mail.text", locale, name, realmName, link, realm.registration().linkMinutes()));
		}, () -> this.mailer.send(newEmail, message("email-change.in-use-mail.subject", locale, realmName),
				message("email-change.in-use-mail.text", locale, realmName)));
		if (owner.email() != null && !owner.email().equalsIgnoreCase(newEmail)) {
			this.mailer.send(owner.email(), message("email-change.notice-mail.subject", locale, realmName),
					message("email-change.notice-mail.text", locale, name, realmName, newEmail,
							linkBase + "/realms/" + realm.name() + "/account/password"));
		}
		return true;
	}

	/** The address a usable link would give its account. */
	Optional<String> pendingAddress(Realm realm, String token) {
		return this.links.usableEmailChange(realm.name(), token, this.clock.instant()).map(EmailChange::newEmail);
	}

	/** What opening a link came to. */
	enum Outcome {

		CHANGED, ADDRESS_IN_USE, LINK_UNUSABLE

	}

	/** Gives the link's account its new address and spends the account's change links. */
	@Transactional
	Outcome confirm(Realm realm, String token, String ipAddress) {
		Instant now = this.clock.instant();
		Optional<EmailChange> change = this.links.usableEmailChange(realm.name(), token, now);
		if (change.isEmpty()) {
			return Outcome.LINK_UNUSABLE;
		}
		if (!this.accounts.changeEmail(realm.name(), change.get().account(), change.get().newEmail(), ipAddress)) {
			return Outcome.ADDRESS_IN_USE;
		}
		this.links.spendAll(EmailLinks.Purpose.EMAIL_CHANGE, change.get().account(), now);
		return Outcome.CHANGED;
	}

	private String message(String key, Locale locale, Object... arguments) {
		return this.messages.getMessage(key, arguments, locale);
	}

}
