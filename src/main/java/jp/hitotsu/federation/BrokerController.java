package jp.hitotsu.federation;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.federation.UpstreamClient.Attempt;
import jp.hitotsu.federation.UpstreamClient.RefusedException;
import jp.hitotsu.federation.UpstreamClient.Verified;
import jp.hitotsu.federation.UpstreamProviders.Upstream;
import jp.hitotsu.login.LoginFlow;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.UpstreamDefinition.FirstLogin;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Logins through a realm's upstream providers: the login page's button leads to
 * {@code /realms/{realm}/broker/{alias}/login}, which sends the browser to the provider;
 * the provider sends it back to {@code .../callback}, where the answer is checked and the
 * login continues in the realm's login flow (a second factor when more is asked for).
 * Every refusal is audited and shown on a page that names the realm and the provider.
 */
@Controller
class BrokerController {

	private static final String ATTEMPT_ATTRIBUTE = "hitotsu.broker.attempt.";

	/** A subject that looks like a My Number is refused rather than kept as a link key. */
	private static final Pattern TWELVE_DIGITS = Pattern.compile("\\p{Nd}{12}");

	private final UpstreamProviders providers;

	private final UpstreamClient client;

	private final FederationLinks links;

	private final PendingLinks pendingLinks;

	private final LoginFlow flow;

	private final RealmLogins logins;

	private final AccountService accounts;

	private final AuditTrail audit;

	private final MessageSource messages;

	private final FederationProperties properties;

	private final Clock clock;

	BrokerController(UpstreamProviders providers, UpstreamClient client, FederationLinks links,
			PendingLinks pendingLinks, LoginFlow flow, RealmLogins logins, AccountService accounts, AuditTrail audit,
			MessageSource messages, FederationProperties properties, Clock clock) {
		this.logins = logins;
		this.accounts = accounts;
		this.providers = providers;
		this.client = client;
		this.links = links;
		this.pendingLinks = pendingLinks;
		this.flow = flow;
		this.audit = audit;
		this.messages = messages;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/realms/{realmName}/broker/{alias}/login")
	String start(@PathVariable String alias, HttpServletRequest request, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<Upstream> upstream = this.providers.find(realm.name(), alias);
		if (upstream.isEmpty()) {
			return unknown(realm, alias, response, model);
		}
		try {
			UpstreamClient.Start start = this.client.start(upstream.get(), callback(request, realm, alias),
					this.clock.instant());
			request.getSession().setAttribute(ATTEMPT_ATTRIBUTE + realm.name(), start.attempt());
			return "redirect:" + start.redirect();
		}
		catch (RefusedException ex) {
			return refused(request, response, model, realm, upstream.get(), ex.reason(), ex.getMessage(),
					HttpStatus.BAD_GATEWAY);
		}
	}

	@GetMapping("/realms/{realmName}/broker/{alias}/callback")
	String callback(@PathVariable String alias, @RequestParam Map<String, String> parameters,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<Upstream> found = this.providers.find(realm.name(), alias);
		if (found.isEmpty()) {
			return unknown(realm, alias, response, model);
		}
		Upstream upstream = found.get();
		Attempt attempt = takeAttempt(request, realm);
		Instant now = this.clock.instant();
		// one answer per attempt, to the provider it went to, in time, for the state sent
		if (attempt == null || !attempt.alias().equals(alias) || !attempt.state().equals(parameters.get("state"))
				|| attempt.startedAt().plus(this.properties.loginTimeout()).isBefore(now)) {
			return refused(request, response, model, realm, upstream, "state",
					"the answer does not belong to a login started in this browser", HttpStatus.BAD_REQUEST);
		}
		if (parameters.get("error") != null || parameters.get("code") == null) {
			// the provider's words, clipped: they go to the page and the audit trail
			String error = parameters.getOrDefault("error", "without a code");
			return refused(request, response, model, realm, upstream, "error",
					"it answered " + error.substring(0, Math.min(error.length(), 64)), HttpStatus.BAD_REQUEST);
		}
		Verified login;
		try {
			login = this.client.finish(upstream, attempt, parameters.get("code"), callback(request, realm, alias));
		}
		catch (RefusedException ex) {
			return refused(request, response, model, realm, upstream, ex.reason(), ex.getMessage(),
					HttpStatus.UNAUTHORIZED);
		}
		if (TWELVE_DIGITS.matcher(login.subject()).matches()) {
			return refused(request, response, model, realm, upstream, "my_number",
					"its subject looks like a My Number, which Hitotsu never keeps", HttpStatus.UNAUTHORIZED);
		}
		Optional<Identity> linked = this.links.linked(upstream, login);
		if (linked.isPresent() && !linked.get().enabled()) {
			return refused(request, response, model, realm, upstream, "disabled",
					"the account linked to this person is disabled", HttpStatus.FORBIDDEN);
		}
		Optional<RealmAuthentication> current = this.logins.current(request, realm);
		if (linked.isEmpty() && current.isPresent()) {
			// the person is logged in to their own account (raising its assurance for a
			// client): that login proved it, so it is the one linked
			Identity own = this.accounts.find(realm.name(), current.get().getName()).orElseThrow();
			this.links.link(upstream, login, own, request.getRemoteAddr());
			linked = Optional.of(own);
		}
		if (linked.isEmpty() && upstream.definition().firstLogin() == FirstLogin.LINK) {
			this.pendingLinks.await(request, realm, upstream, login);
			model.addAttribute("provider", upstream.definition().displayName());
			model.addAttribute("loginPath", "/realms/" + realm.name() + "/login");
			return "broker-link";
		}
		Identity account = linked.orElseGet(() -> this.links.create(upstream, login, request.getRemoteAddr()));
		return this.flow.beginUpstream(request, response, realm, account, upstream.definition().level());
	}

	/** A client needs more identity assurance than any provider of the realm proves. */
	@GetMapping("/realms/{realmName}/broker/ial-unreachable")
	String ialUnreachable(@RequestParam(name = "client", defaultValue = "") String clientId,
			@RequestParam(name = "ial", defaultValue = "") String ial, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		response.setStatus(HttpStatus.FORBIDDEN.value());
		// shown as given, escaped by the template; a level that is none stays out
		String level = ial.matches("[1-3]") ? ial : "?";
		return error(model, HttpStatus.FORBIDDEN, "broker.error.ial-unreachable",
				realm.displayName().in(LocaleContextHolder.getLocale()), clientId, level);
	}

	/** The public half of the key the realm authenticates to the provider with, for the provider to fetch. */
	@GetMapping(path = "/realms/{realmName}/broker/{alias}/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> jwks(@PathVariable String alias) {
		Realm realm = RealmContext.require();
		return this.providers.find(realm.name(), alias)
			.map((upstream) -> ResponseEntity.ok(new JWKSet(upstream.key().toPublicJWK()).toJSONObject()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	private static URI callback(HttpServletRequest request, Realm realm, String alias) {
		return ServletUriComponentsBuilder.fromContextPath(request)
			.path("/realms/{realm}/broker/{alias}/callback")
			.buildAndExpand(realm.name(), alias)
			.toUri();
	}

	private static Attempt takeAttempt(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(ATTEMPT_ATTRIBUTE + realm.name()) instanceof Attempt attempt)) {
			return null;
		}
		session.removeAttribute(ATTEMPT_ATTRIBUTE + realm.name());
		return attempt;
	}

	private String unknown(Realm realm, String alias, HttpServletResponse response, Model model) {
		response.setStatus(HttpStatus.NOT_FOUND.value());
		return error(model, HttpStatus.NOT_FOUND, "broker.error.unknown",
				realm.displayName().in(LocaleContextHolder.getLocale()), alias);
	}

	private String refused(HttpServletRequest request, HttpServletResponse response, Model model, Realm realm,
			Upstream upstream, String reason, String detail, HttpStatus status) {
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.UPSTREAM_LOGIN_REFUSED)
			.failure()
			.ipAddress(request.getRemoteAddr())
			.detail("provider", upstream.alias())
			.detail("reason", reason)
			.detail("message", detail)
			.build());
		response.setStatus(status.value());
		return error(model, status, "broker.error." + reason,
				realm.displayName().in(LocaleContextHolder.getLocale()),
				upstream.definition().displayName().in(LocaleContextHolder.getLocale()), detail);
	}

	private String error(Model model, HttpStatus status, String key, Object... arguments) {
		model.addAttribute("title", this.messages.getMessage("broker.error.title", arguments,
				LocaleContextHolder.getLocale()));
		model.addAttribute("status", status.value());
		model.addAttribute("message", this.messages.getMessage(key, arguments, LocaleContextHolder.getLocale()));
		return "error";
	}

}
