package jp.hitotsu.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountService.Registration;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Person;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.mail.Mailer;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.recovery.EmailLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.MessageSource;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Citizen sign-up: the account, and a single-use link that proves its address.
 *
 * <p>
 * Whoever signs up gets the same answer, at the same speed, whether the address already
 * has an account or not: the sign-up is handed to a background thread before anything is
 * looked up. A new address gets a verification link; a known one gets a mail telling its
 * owner that someone tried to sign up with it (at most one a minute), and nothing else.
 */
@Service
public class Registrations {

	private static final Logger logger = LoggerFactory.getLogger(Registrations.class);

	private static final EmailLinks.Purpose VERIFICATION = EmailLinks.Purpose.EMAIL_VERIFICATION;

	/** One mail per account and minute at most, as for password resets. */
	static final Duration RESEND_PAUSE = Duration.ofMinutes(1);

	private final AccountService accounts;

	private final EmailLinks links;

	private final AuditTrail audit;

	private final Mailer mailer;

	private final MessageSource messages;

	private final TaskExecutor background;

	private final TransactionTemplate transaction;

	private final Clock clock;

	Registrations(AccountService accounts, EmailLinks links, AuditTrail audit, Mailer mailer, MessageSource messages,
			@Qualifier("applicationTaskExecutor") TaskExecutor background, TransactionTemplate transaction,
			Clock clock) {
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
	 * Signs a person up later, on another thread: creates the account and sends the link,
	 * or tells the owner of the address.
	 * @param chosen a password the realm's policy accepts
	 * @param requestBaseUrl the server's URL as the request reached it, for the link
	 */
	public void signUp(Realm realm, String email, Person person, String chosen, Locale locale, String requestBaseUrl,
			String ipAddress) {
		this.background.execute(() -> {
			try {
				Registration registration = this.accounts.register(realm, email, person, chosen, ipAddress);
				String linkBase = this.mailer.linkBase(requestBaseUrl);
				if (!registration.created()) {
					tellOwner(realm, registration.account(), locale, linkBase, ipAddress);
				}
				else if (realm.registration().requireEmailVerification()) {
					sendLink(realm, registration.account(), locale, linkBase, ipAddress);
				}
			}
			catch (RuntimeException ex) {
				logger.error("Sign-up in realm '{}' failed", realm.name(), ex);
			}
		});
	}

	/**
	 * Sends a new verification link to an account that has not proven its address, unless
	 * one was sent less than a minute ago.
	 * @return whether a mail went out
	 */
	public boolean resend(Realm realm, Identity account, Locale locale, String requestBaseUrl, String ipAddress) {
		if (account.emailVerified() || account.email() == null) {
			return false;
		}
		return sendLink(realm, account, locale, this.mailer.linkBase(requestBaseUrl), ipAddress);
	}

	/** Whether the link's token still proves an address in this realm. */
	public boolean linkUsable(Realm realm, String token) {
		return this.links.usableAccount(VERIFICATION, realm.name(), token, this.clock.instant()).isPresent();
	}

	/**
	 * Marks the address of the link's account verified and spends its links.
	 * @return the account, or empty when the link was used, expired or never issued
	 */
	@Transactional
	public Optional<UUID> verify(Realm realm, String token, String ipAddress) {
		Instant now = this.clock.instant();
		Optional<UUID> account = this.links.usableAccount(VERIFICATION, realm.name(), token, now);
		account.ifPresent((id) -> {
			this.accounts.emailVerified(realm.name(), id, ipAddress);
			this.links.spendAll(VERIFICATION, id, now);
		});
		return account;
	}

	private boolean sendLink(Realm realm, Identity account, Locale locale, String linkBase, String ipAddress) {
		Optional<String> token = this.transaction.execute((status) -> {
			Instant now = this.clock.instant();
			this.links.lock(account.id());
			if (this.links.issuedSince(VERIFICATION, account.id(), now.minus(RESEND_PAUSE))) {
				return Optional.empty();
			}
			String issued = this.links.issue(VERIFICATION, realm.name(), account.id(), now,
					realm.registration().verificationLinkLifetime());
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.EMAIL_VERIFICATION_SENT)
				.subject(account.subject())
				.username(account.username())
				.ipAddress(ipAddress)
				.build());
			return Optional.of(issued);
		});
		token.ifPresent((value) -> {
			String link = linkBase + "/realms/" + realm.name() + "/register/verify?token=" + value;
			this.mailer.send(account.email(), message("registration.mail.subject", locale, realm.displayName().in(locale)),
					message("registration.mail.text", locale, nameOf(account), realm.displayName().in(locale), link,
							realm.registration().linkMinutes()));
		});
		return token.isPresent();
	}

	private void tellOwner(Realm realm, Identity owner, Locale locale, String linkBase, String ipAddress) {
		boolean send = owner.email() != null && Boolean.TRUE.equals(this.transaction.execute((status) -> {
			this.links.lock(owner.id());
			boolean recent = this.audit.recordedSince(realm.name(), AuditEventType.REGISTRATION_REPEATED,
					owner.subject(), this.clock.instant().minus(RESEND_PAUSE));
			AuditEvent.Builder event = AuditEvent.of(realm.name(), AuditEventType.REGISTRATION_REPEATED);
			if (recent) {
				// a failure does not count as a notice sent: the pause runs from the last real one
				event.failure();
			}
			this.audit.record(event.subject(owner.subject())
				.username(owner.username())
				.ipAddress(ipAddress)
				.detail("notified", !recent)
				.build());
			return !recent;
		}));
		if (send) {
			String loginPage = linkBase + "/realms/" + realm.name() + "/login";
			this.mailer.send(owner.email(), message("registration.repeat-mail.subject", locale, realm.displayName().in(locale)),
					message("registration.repeat-mail.text", locale, nameOf(owner), realm.displayName().in(locale),
							owner.username(), loginPage));
		}
	}

	private String message(String key, Locale locale, Object... arguments) {
		return this.messages.getMessage(key, arguments, locale);
	}

	private static String nameOf(Identity account) {
		return (account.name() != null) ? account.name() : account.username();
	}

}
