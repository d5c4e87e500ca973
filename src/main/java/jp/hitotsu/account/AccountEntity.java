package jp.hitotsu.account;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

@Entity
@Table(name = "account")
class AccountEntity {

	@Id
	private UUID id;

	private String realm;

	private String username;

	private String email;

	private boolean emailVerified;

	private String givenName;

	private String familyName;

	private String displayName;

	private String familyNameKana;

	private String givenNameKana;

	private String romanisedName;

	/** E.164, e.g. {@code +819012345678}. */
	private String phoneNumber;

	/** The identity assurance level (1-3) the account's evidence reached. */
	private int ial = 1;

	private boolean enabled;

	private String passwordHash;

	/** The password was set by an administrator: its owner must choose a new one at login. */
	private boolean passwordChangeRequired;

	private Instant createdAt;

	private Instant updatedAt;

	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "account_role", joinColumns = @JoinColumn(name = "account_id"))
	@Column(name = "role")
	private Set<String> roles = new LinkedHashSet<>();

	protected AccountEntity() {
	}

	AccountEntity(UUID id, String realm, String username) {
		this.id = id;
		this.realm = realm;
		this.username = username;
		this.enabled = true;
		this.createdAt = Instant.now();
		this.updatedAt = this.createdAt;
	}

	UUID getId() {
		return this.id;
	}

	String getRealm() {
		return this.realm;
	}

	String getUsername() {
		return this.username;
	}

	void setUsername(String username) {
		this.username = username;
		this.updatedAt = Instant.now();
	}

	String getEmail() {
		return this.email;
	}

	void setEmail(String email, boolean verified) {
		this.email = email;
		this.emailVerified = verified;
	}

	boolean isEmailVerified() {
		return this.emailVerified;
	}

	String getGivenName() {
		return this.givenName;
	}

	String getFamilyName() {
		return this.familyName;
	}

	String getDisplayName() {
		return this.displayName;
	}

	void setNames(String givenName, String familyName, String displayName) {
		this.givenName = givenName;
		this.familyName = familyName;
		this.displayName = displayName;
	}

	void setPerson(Person person) {
		setNames(person.givenName(), person.familyName(), person.displayName());
		this.familyNameKana = person.familyNameKana();
		this.givenNameKana = person.givenNameKana();
		this.romanisedName = person.romanisedName();
		this.phoneNumber = person.phoneNumber();
	}

	String getPhoneNumber() {
		return this.phoneNumber;
	}

	boolean isEnabled() {
		return this.enabled;
	}

	void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	String getPasswordHash() {
		return this.passwordHash;
	}

	void setPasswordHash(String passwordHash) {
		this.passwordHash = passwordHash;
		this.updatedAt = Instant.now();
	}

	boolean isPasswordChangeRequired() {
		return this.passwordChangeRequired;
	}

	void setPasswordChangeRequired(boolean required) {
		this.passwordChangeRequired = required;
	}

	Set<String> getRoles() {
		return this.roles;
	}

}
