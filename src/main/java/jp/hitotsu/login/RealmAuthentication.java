package jp.hitotsu.login;

import java.io.Serial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jp.hitotsu.realm.AssuranceLevel;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * A completed login to one realm. It is kept in the browser's session (per realm) and
 * inside each authorization granted during that login, so it must stay serializable.
 * Its name is the account's opaque id, which the authorization server uses as
 * {@code sub}.
 */
public final class RealmAuthentication extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final RealmPrincipal principal;

	private final Instant authTime;

	private final String acr;

	private final AssuranceLevel level;

	private final Set<Factor> factors;

	public RealmAuthentication(RealmPrincipal principal, Instant authTime, String acr, AssuranceLevel level,
			Set<Factor> factors) {
		// Spring Security 7 records each factor as an authority with its time: the
		// authorization server reads auth_time from it
		super(List.of(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
			.issuedAt(authTime)
			.build()));
		this.principal = principal;
		this.authTime = authTime;
		this.acr = acr;
		this.level = level;
		this.factors = Collections.unmodifiableSet(factors.isEmpty() ? EnumSet.noneOf(Factor.class) : EnumSet.copyOf(factors));
		setAuthenticated(true);
	}

	@Override
	public RealmPrincipal getPrincipal() {
		return this.principal;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.principal.subject();
	}

	public Instant authTime() {
		return this.authTime;
	}

	/** The assurance level reached, as the realm names it ({@code acr}). */
	public String acr() {
		return this.acr;
	}

	/** The assurance level the login reached. */
	public AssuranceLevel level() {
		return this.level;
	}

	/** The factors proven in this login. */
	public Set<Factor> factors() {
		return this.factors;
	}

	/**
	 * The authentication methods used (RFC 8176 {@code amr} values), with {@code mfa}
	 * when more than one factor was proven.
	 */
	public List<String> amr() {
		List<String> methods = new ArrayList<>(this.factors.stream().map(Factor::amr).distinct().toList());
		if (this.level.atLeast(AssuranceLevel.AAL2)) {
			methods.add("mfa");
		}
		return methods;
	}

}
