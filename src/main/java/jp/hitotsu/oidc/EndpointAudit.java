package jp.hitotsu.oidc;

import java.text.ParseException;
import java.util.Optional;
import java.util.function.Supplier;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audits the token, revocation, introspection and UserInfo endpoints by wrapping the
 * authorization server's own authentication providers, so each grant keeps its provider
 * and gains its event.
 *
 * <p>
 * A grant that stores something (authorization code, refresh) runs in one transaction with
 * its event: the grant's save and the event commit together. A refused grant commits too,
 * with a failure event, because the provider may have revoked something on the way (a
 * refresh token used twice revokes its grant). A client-credentials token stores nothing
 * and its event is batched ({@link AuditTrail#recordWithoutChange}); so are UserInfo and
 * introspection, which are audited only in realms with full audit.
 */
@Component
class EndpointAudit {

	private final AuditTrail audit;

	private final TransactionTemplate transactions;

	private final PostgresAuthorizationService authorizations;

	EndpointAudit(AuditTrail audit, TransactionTemplate transactions, PostgresAuthorizationService authorizations) {
		this.audit = audit;
		this.transactions = transactions;
		this.authorizations = authorizations;
	}

	AuthenticationProvider token(AuthenticationProvider provider) {
		return new Audited(provider) {
			@Override
			public Authentication authenticate(Authentication request) {
				if (!(request instanceof OAuth2AuthorizationGrantAuthenticationToken grant)) {
					return provider.authenticate(request);
				}
				boolean stored = !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(grant.getGrantType());
				return audited(stored, () -> provider.authenticate(request), (result, failure) -> {
					AuditEventType type = AuthorizationGrantType.REFRESH_TOKEN.equals(grant.getGrantType())
							? AuditEventType.TOKEN_REFRESHED : AuditEventType.TOKEN_ISSUED;
					AuditEvent.Builder event = event(type, failure).client(clientId(grant.getPrincipal()))
						.detail("grantType", grant.getGrantType().getValue());
					if (result instanceof OAuth2AccessTokenAuthenticationToken issued) {
						claims(issued.getAccessToken().getTokenValue()).ifPresent((claims) -> event
							.subject(claims.getSubject())
							.detail("jti", claims.getJWTID())
							.detail("audience", AuthorizationGrantType.TOKEN_EXCHANGE.equals(grant.getGrantType())
									? String.join(" ", claims.getAudience()) : null));
						event.detail("scope", String.join(" ", issued.getAccessToken().getScopes()))
							.detail("refreshToken", issued.getRefreshToken() != null);
					}
					return event;
				});
			}
		};
	}

	/**
	 * A person's answer at the device page: the approval or denial, and every refused code
	 * (wrong, expired, over the attempt limit), with what they stored. Showing the consent
	 * page is no answer yet and records nothing.
	 */
	AuthenticationProvider deviceVerification(AuthenticationProvider provider) {
		return new Audited(provider) {
			@Override
			public Authentication authenticate(Authentication request) {
				return audited(true, () -> provider.authenticate(request), (result, failure) -> {
					if (result instanceof OAuth2DeviceAuthorizationConsentAuthenticationToken) {
						return null;
					}
					AuditEvent.Builder event = event(AuditEventType.DEVICE_VERIFIED, failure)
						.subject(((Authentication) request.getPrincipal()).getName());
					if (result instanceof OAuth2DeviceVerificationAuthenticationToken) {
						event.detail("approved", true);
					}
					if (request instanceof OAuth2DeviceAuthorizationConsentAuthenticationToken consent) {
						event.client(consent.getClientId());
					}
					return event;
				});
			}
		};
	}

	AuthenticationProvider revocation(AuthenticationProvider provider) {
		return new Audited(provider) {
			@Override
			public Authentication authenticate(Authentication request) {
				if (!(request instanceof OAuth2TokenRevocationAuthenticationToken revocation)) {
					return provider.authenticate(request);
				}
				// what the token belonged to, read before the revocation takes it away
				OAuth2Authorization[] grant = new OAuth2Authorization[1];
				return audited(true, () -> {
					grant[0] = EndpointAudit.this.authorizations.findByToken(revocation.getToken(), null);
					return provider.authenticate(request);
				}, (result, failure) -> event(AuditEventType.TOKEN_REVOKED, failure)
					.client(clientId(revocation.getPrincipal()))
					.subject((grant[0] != null) ? grant[0].getPrincipalName() : null)
					.detail("known", grant[0] != null)
					.detail("grantType", (grant[0] != null) ? grant[0].getAuthorizationGrantType().getValue() : null));
			}
		};
	}

	AuthenticationProvider introspection(AuthenticationProvider provider) {
		return new Audited(provider) {
			@Override
			public Authentication authenticate(Authentication request) {
				if (!(request instanceof OAuth2TokenIntrospectionAuthenticationToken introspection)
						|| !fullAudit()) {
					return provider.authenticate(request);
				}
				return audited(false, () -> provider.authenticate(request), (result, failure) -> {
					AuditEvent.Builder event = event(AuditEventType.INTROSPECTION, failure)
						.client(clientId(introspection.getPrincipal()));
					if (result instanceof OAuth2TokenIntrospectionAuthenticationToken answered) {
						event.subject(answered.getTokenClaims().getSubject())
							.detail("active", answered.getTokenClaims().isActive())
							.detail("tokenClient", answered.getTokenClaims().getClientId());
					}
					return event;
				});
			}
		};
	}

	AuthenticationProvider userInfo(AuthenticationProvider provider) {
		return new Audited(provider) {
			@Override
			public Authentication authenticate(Authentication request) {
				if (!(request instanceof OidcUserInfoAuthenticationToken userInfo) || !fullAudit()) {
					return provider.authenticate(request);
				}
				return audited(false, () -> provider.authenticate(request), (result, failure) -> {
					AuditEvent.Builder event = event(AuditEventType.USERINFO, failure);
					if (userInfo.getPrincipal() instanceof JwtAuthenticationToken bearer) {
						event.subject(bearer.getToken().getSubject())
							.client(bearer.getToken().getClaimAsString("client_id"));
					}
					return event;
				});
			}
		};
	}

	private static boolean fullAudit(AuditTrail audit) {
		return RealmContext.current().map((realm) -> audit.isFull(realm.name())).orElse(false);
	}

	private static AuditEvent.Builder event(AuditEventType type, OAuth2AuthenticationException failure) {
		AuditEvent.Builder event = AuditEvent.of(RealmContext.require().name(), type);
		if (failure != null) {
			event.failure().detail("error", failure.getError().getErrorCode());
		}
		return event;
	}

	private static String clientId(Object principal) {
		if (principal instanceof OAuth2ClientAuthenticationToken client) {
			return (client.getRegisteredClient() != null) ? client.getRegisteredClient().getClientId()
					: String.valueOf(client.getPrincipal());
		}
		return null;
	}

	/** The claims of a token this server just signed; read, not verified, for the event only. */
	private static Optional<JWTClaimsSet> claims(String token) {
		try {
			return Optional.of(SignedJWT.parse(token).getJWTClaimsSet());
		}
		catch (ParseException ex) {
			return Optional.empty();
		}
	}

	/** Describes the event of a call, given its result or its refusal; null when there is none. */
	private interface Describer {

		AuditEvent.Builder describe(Authentication result, OAuth2AuthenticationException failure);

	}

	/** A provider of the authorization server with an audit event around it. */
	private abstract class Audited implements AuthenticationProvider {

		private final AuthenticationProvider delegate;

		Audited(AuthenticationProvider delegate) {
			this.delegate = delegate;
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return this.delegate.supports(authentication);
		}

		boolean fullAudit() {
			return EndpointAudit.fullAudit(EndpointAudit.this.audit);
		}

		/**
		 * Runs the call and records its event: in one transaction with what the call stores
		 * when {@code stores}, else without waiting for a commit.
		 */
		Authentication audited(boolean stores, Supplier<Authentication> call, Describer describer) {
			if (!stores) {
				Outcome outcome = Outcome.of(call);
				if (outcome.result() != null || outcome.failure() != null) {
					EndpointAudit.this.audit
						.recordWithoutChange(describer.describe(outcome.result(), outcome.failure()).build());
				}
				return outcome.get();
			}
			Outcome outcome = EndpointAudit.this.transactions.execute((status) -> {
				Outcome done = Outcome.of(call);
				AuditEvent.Builder event = (done.result() != null || done.failure() != null)
						? describer.describe(done.result(), done.failure()) : null;
				if (event != null) {
					EndpointAudit.this.audit.record(event.build());
				}
				return done;
			});
			return outcome.get();
		}

	}

	/** A call's result, or the OAuth error it was refused with. */
	private record Outcome(Authentication result, OAuth2AuthenticationException failure) {

		static Outcome of(Supplier<Authentication> call) {
			try {
				return new Outcome(call.get(), null);
			}
			catch (OAuth2AuthenticationException ex) {
				return new Outcome(null, ex);
			}
		}

		Authentication get() throws AuthenticationException {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.result;
		}

	}

}
