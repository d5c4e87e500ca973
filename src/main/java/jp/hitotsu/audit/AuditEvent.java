package jp.hitotsu.audit;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.web.RequestIds;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Something that happened in a realm and must stay traceable: who, what, from where and
 * whether it worked. Never a password, code, token or secret in {@code details}.
 *
 * @param realm the realm it happened in
 * @param type what happened, e.g. {@code LOGIN}, {@code LOGIN_FAILED},
 * {@code ACCOUNT_LOCKED}; see {@link AuditEventType}
 * @param outcome {@code success} or {@code failure}
 * @param subject the account concerned (its opaque id), when known
 * @param username the name typed or the account's username, when known
 * @param clientId the client application involved, when any
 * @param ipAddress the remote address of the request, when it came over HTTP
 * @param userAgent the {@code User-Agent} of that request, cut to {@value #USER_AGENT_LENGTH}
 * characters
 * @param sessionId the realm login session ({@code sid}), when any
 * @param details anything else worth keeping (the rule that refused, the factor used)
 * @param requestId the id of the HTTP request it happened in (the {@code X-Request-Id} the
 * caller sent or one given to it), which also marks that request's log lines; none outside
 * a request
 */
public record AuditEvent(String realm, AuditEventType type, Outcome outcome, String subject, String username,
		String clientId, String ipAddress, String userAgent, String sessionId, Map<String, Object> details,
		String requestId) {

	/** Longest user agent kept: enough for any browser's, not for a header stuffed to fill the trail. */
	public static final int USER_AGENT_LENGTH = 512;

	public AuditEvent {
		details = (details != null) ? Map.copyOf(details) : Map.of();
		if (userAgent != null && userAgent.length() > USER_AGENT_LENGTH) {
			userAgent = userAgent.substring(0, USER_AGENT_LENGTH);
		}
	}

	public static Builder of(String realm, AuditEventType type) {
		return new Builder(realm, type);
	}

	public enum Outcome {

		SUCCESS, FAILURE;

	}

	/** Fills an event field by field; most events know only a few of them. */
	public static final class Builder {

		private final String realm;

		private final AuditEventType type;

		private Outcome outcome = Outcome.SUCCESS;

		private String subject;

		private String username;

		private String clientId;

		private String ipAddress;

		private String userAgent;

		private String sessionId;

		private String requestId = RequestIds.current().orElse(null);

		private boolean withoutRequestDetails;

		private final Map<String, Object> details = new java.util.LinkedHashMap<>();

		private Builder(String realm, AuditEventType type) {
			this.realm = realm;
			this.type = type;
		}

		public Builder failure() {
			this.outcome = Outcome.FAILURE;
			return this;
		}

		public Builder subject(String subject) {
			this.subject = subject;
			return this;
		}

		public Builder username(String username) {
			this.username = username;
			return this;
		}

		public Builder client(String clientId) {
			this.clientId = clientId;
			return this;
		}

		public Builder ipAddress(String ipAddress) {
			this.ipAddress = ipAddress;
			return this;
		}

		public Builder userAgent(String userAgent) {
			this.userAgent = userAgent;
			return this;
		}

		public Builder session(String sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		public Builder detail(String name, Object value) {
			if (value != null) {
				this.details.put(name, value);
			}
			return this;
		}

		/**
		 * The event; built on a request's thread, it takes the request's address and user
		 * agent unless they were given, so no caller has to pass them along.
		 */
		/** Another request's id than the current one, e.g. for work done later on its behalf. */
		public Builder requestId(String requestId) {
			this.requestId = requestId;
			return this;
		}

		/**
		 * Keeps nothing of the request the event happened in (its address and user agent),
		 * e.g. for the deletion of an account whose personal data must go.
		 */
		public Builder withoutRequestDetails() {
			this.withoutRequestDetails = true;
			return this;
		}

		public AuditEvent build() {
			String ip = this.ipAddress;
			String agent = this.userAgent;
			if (!this.withoutRequestDetails && (ip == null || agent == null)
					&& RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
				HttpServletRequest request = attributes.getRequest();
				ip = (ip != null) ? ip : request.getRemoteAddr();
				agent = (agent != null) ? agent : request.getHeader("User-Agent");
			}
			return new AuditEvent(this.realm, this.type, this.outcome, this.subject, this.username, this.clientId, ip,
					agent, this.sessionId, this.details, this.requestId);
		}

	}

}
