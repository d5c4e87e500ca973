package jp.hitotsu.account;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.realm.RealmRegistry;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accounts that tokens name are kept in memory; every change reaches them, whoever
 * makes it: this process's own writes at once, and a write it did not make (another
 * replica's, an operator's SQL) through the database's notification.
 */
class AccountCacheTests extends ServerTest {

	private static final String REALM = "staff";

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	/** How long a change made elsewhere may take to arrive; the fallback re-read is 30 s. */
	private static final Duration BOUND = Duration.ofSeconds(5);

	@Autowired
	AccountService accounts;

	@Autowired
	RealmRegistry realms;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	CacheInvalidations invalidations;

	@Test
	void accountDisabledAfterUserInfoThenUserInfoRefusesItsTokenAtOnce() throws Exception {
		SignedIn person = signIn("disabled");
		assertThat(person.userInfo().indicatesSuccess()).isTrue();

		this.accounts.disable(REALM, person.id(), "test");

		UserInfoResponse refused = person.userInfo();
		assertThat(refused.indicatesSuccess()).isFalse();
		assertThat(refused.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(401);
	}

	@Test
	void accountChangedThroughThisProcessThenUserInfoShowsTheChangeAtOnce() throws Exception {
		SignedIn person = signIn("profile");
		assertThat(person.userInfo().toSuccessResponse().getUserInfo().getGivenName()).isEqualTo("Given");
		Identity before = this.accounts.find(REALM, person.id().toString()).orElseThrow();

		// as a directory bundle applies it: no grant ends, only the account changes
		this.accounts.applyProfile(REALM, person.id(), new AccountService.Profile(before.username(), null, "Applied",
				before.familyName(), before.email(), before.emailVerified(), before.roles()));

		// right after the commit, before the database's notification could come round
		assertThat(this.accounts.find(REALM, person.id().toString()).orElseThrow().givenName()).isEqualTo("Applied");
		assertThat(person.userInfo().toSuccessResponse().getUserInfo().getGivenName()).isEqualTo("Applied");
	}

	@Test
	void accountChangedBySqlOfAnotherProcessThenUserInfoShowsTheChange() throws Exception {
		SignedIn person = signIn("renamed");
		assertThat(person.userInfo().toSuccessResponse().getUserInfo().getGivenName()).isEqualTo("Given");

		// what another replica's write, or an operator's, looks like to this process
		this.jdbc.sql("update account set given_name = 'Renamed' where id = :id").param("id", person.id()).update();

		assertThat(eventually(() -> person.userInfo().toSuccessResponse().getUserInfo().getGivenName(), "Renamed"))
			.isEqualTo("Renamed");
	}

	@Test
	void roleGrantedBySqlOfAnotherProcessThenTheAccountIsReadAgain() {
		UUID id = this.accounts.create(REALM, "cache-role-" + UUID.randomUUID(), "Family", "Given", "test").id();
		assertThat(this.accounts.find(REALM, id.toString()).orElseThrow().roles()).isEmpty();

		this.jdbc.sql("insert into account_role (account_id, role) values (:id, 'auditor')").param("id", id).update();

		assertThat(eventually(() -> this.accounts.find(REALM, id.toString()).orElseThrow().roles(), Set.of("auditor")))
			.containsExactly("auditor");
	}

	@Test
	void manyAccountsChangedInOneStatementThenEveryOneIsReadAgain() {
		List<AccountService.NewAccount> many = new ArrayList<>();
		String prefix = "cache-bulk-" + UUID.randomUUID() + "-";
		for (int i = 0; i < 150; i++) {
			many.add(new AccountService.NewAccount(prefix + i, "Family", "Given"));
		}
		List<UUID> ids = this.transactions.execute((status) -> this.accounts.createAll(REALM, many, "test"));
		ids.forEach((id) -> assertThat(this.accounts.find(REALM, id.toString())).isPresent());

		// a transfer batch's kind of statement: one notice drops every account
		this.jdbc.sql("update account set family_name = 'Moved' where id = any(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.update();

		assertThat(eventually(() -> ids.stream()
			.map((id) -> this.accounts.find(REALM, id.toString()).orElseThrow().familyName())
			.distinct()
			.toList(), List.of("Moved"))).containsExactly("Moved");
	}

	@Test
	void accountReadInsideTransactionThatRollsBackThenWhatItReadIsNotKept() {
		UUID id = this.accounts.create(REALM, "cache-rollback-" + UUID.randomUUID(), "Family", "Given", "test").id();

		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("update account set given_name = 'Uncommitted' where id = :id").param("id", id).update();
			assertThat(this.accounts.find(REALM, id.toString()).orElseThrow().givenName()).isEqualTo("Uncommitted");
			status.setRollbackOnly();
		});

		assertThat(this.accounts.find(REALM, id.toString()).orElseThrow().givenName()).isEqualTo("Given");
	}

	@Test
	void listeningConnectionBrokenThenAccountsAreReadFromTheDatabaseUntilItListensAgain() {
		UUID id = this.accounts.create(REALM, "cache-unheard-" + UUID.randomUUID(), "Family", "Given", "test").id();
		assertThat(this.accounts.find(REALM, id.toString()).orElseThrow().givenName()).isEqualTo("Given");

		int listener = this.invalidations.listenerBackendPid();
		this.jdbc.sql("select pg_terminate_backend(:pid)").param("pid", listener).query(Boolean.class).single();
		// noticed, and in the 200 ms before it reconnects (or, on a busy machine, reconnected
		// already, which drops everything: then the account is read again all the same)
		assertThat(eventually(() -> !this.invalidations.hearing() || this.invalidations.listenerBackendPid() != listener,
				true)).as("the broken connection is noticed").isTrue();
		// its notification is lost while nobody listens here
		this.jdbc.sql("update account set given_name = 'Unheard' where id = :id").param("id", id).update();

		assertThat(this.accounts.find(REALM, id.toString()).orElseThrow().givenName()).isEqualTo("Unheard");
		assertThat(eventually(this.invalidations::hearing, true)).as("listening again").isTrue();
	}

	@Test
	void accountOfAnotherRealmThenNotFoundThroughThisOne() {
		UUID id = this.accounts.create(REALM, "cache-realm-" + UUID.randomUUID(), "Family", "Given", "test").id();
		assertThat(this.accounts.find(REALM, id.toString())).isPresent();

		assertThat(this.accounts.find("citizen", id.toString())).isEmpty();
	}

	/** A new account of the staff realm with a password, signed in to web-app. */
	private SignedIn signIn(String purpose) throws Exception {
		String username = "cache-" + purpose + "-" + UUID.randomUUID();
		UUID id = this.accounts.create(REALM, username, "Family", "Given", "test").id();
		String password = "correct-horse-" + UUID.randomUUID();
		assertThat(this.accounts.replacePassword(this.realms.get(REALM), id.toString(), password,
				AccountService.PasswordReplacement.RESET_LINK, "127.0.0.1"))
			.isEmpty();
		OidcClient client = client(REALM, "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid profile");
		URI callback = browser().authorize(authorization.uri(), username, password);
		AccessToken token = client.exchange(callback, authorization).getOIDCTokens().getAccessToken();
		return new SignedIn(id, client, token);
	}

	/** What {@code read} answers once it answers {@code expected}, or at the bound. */
	private static <T> T eventually(Supplier<T> read, T expected) {
		long deadline = System.nanoTime() + BOUND.toNanos();
		T seen = read.get();
		while (!seen.equals(expected) && System.nanoTime() < deadline) {
			sleep();
			seen = read.get();
		}
		return seen;
	}

	private static void sleep() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record SignedIn(UUID id, OidcClient client, AccessToken token) {

		UserInfoResponse userInfo() {
			return this.client.userInfo(this.token);
		}

	}

}
