package jp.hitotsu.selfservice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.Identity;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmPrincipal;
import jp.hitotsu.oidc.RealmClientRepository;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.session.RealmSessions;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Where the person is logged in: every session of their account in the realm (browser,
 * address, when, which applications), and a way to log out one of the others, or all of
 * them ("I left myself logged in at the library"). Each goes through a confirmation page;
 * the session in use is left to the ordinary logout, which also tells this browser's
 * applications.
 */
@Controller
class SessionsController {

	private static final String PATH = "/realms/{realmName}/account/sessions";

	private final AccountPages pages;

	private final RealmLogins logins;

	private final RealmSessions sessions;

	private final RealmClientRepository clients;

	SessionsController(AccountPages pages, RealmLogins logins, RealmSessions sessions, RealmClientRepository clients) {
		this.pages = pages;
		this.logins = logins;
		this.sessions = sessions;
		this.clients = clients;
	}

	@GetMapping(PATH)
	String list(@RequestParam(name = "ended", required = false) Integer ended, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			model.addAttribute("ended", ended);
			return listPage(request, realm, owner, model);
		});
	}

	/**
	 * The confirmation of logging out one other session ({@code sid}) or all of them (no
	 * {@code sid}); nothing ends until the person confirms.
	 */
	@GetMapping(PATH + "/end")
	String confirm(@RequestParam(name = "sid", required = false) String sid, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			List<Row> rows = rows(request, realm, owner);
			if (sid == null) {
				model.addAttribute("ending", rows.stream().filter((row) -> !row.current()).toList());
			}
			else {
				Optional<Row> row = rows.stream().filter((candidate) -> candidate.sid().equals(sid)).findFirst();
				if (row.isEmpty() || row.get().current()) {
					return refuse(request, response, realm, owner, row.isEmpty(), model);
				}
				model.addAttribute("ending", List.of(row.get()));
				model.addAttribute("sid", sid);
			}
			this.pages.describe(model, owner);
			return "account-end-sessions";
		});
	}

	@PostMapping(PATH + "/end")
	String end(@RequestParam(name = "sid", required = false) String sid, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			RealmPrincipal login = login(request, realm);
			int ended;
			if (sid == null) {
				ended = this.sessions.endOthers(login, RealmSessions.OWNER);
			}
			else if (sid.equals(this.sessions.sidOf(login))) {
				return refuse(request, response, realm, owner, false, model);
			}
			else if (this.sessions.end(realm.name(), owner.subject(), sid, RealmSessions.OWNER)) {
				ended = 1;
			}
			else {
				return refuse(request, response, realm, owner, true, model);
			}
			return "redirect:/realms/" + realm.name() + "/account/sessions?ended=" + ended;
		});
	}

	/**
	 * The list again with why nothing ended: the session is not (any more) the person's,
	 * or it is the one in use, which the ordinary logout ends.
	 */
	private String refuse(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity owner,
			boolean unknown, Model model) {
		response.setStatus(unknown ? HttpStatus.NOT_FOUND.value() : HttpStatus.BAD_REQUEST.value());
		model.addAttribute("error", unknown ? "sessions.error.unknown" : "sessions.error.current");
		return listPage(request, realm, owner, model);
	}

	private String listPage(HttpServletRequest request, Realm realm, Identity owner, Model model) {
		this.pages.describe(model, owner);
		List<Row> rows = rows(request, realm, owner);
		model.addAttribute("sessions", rows);
		model.addAttribute("others", rows.stream().anyMatch((row) -> !row.current()));
		return "account-sessions";
	}

	private List<Row> rows(HttpServletRequest request, Realm realm, Identity owner) {
		String current = this.sessions.sidOf(login(request, realm));
		return this.sessions.list(realm.name(), owner.subject())
			.stream()
			.map((session) -> new Row(session.sid(), BrowserDescription.of(session.userAgent()), session.userAgent(),
					session.ipAddress(), session.startedAt(), session.lastUsedAt(),
					session.clients().stream().map((clientId) -> name(realm, clientId)).toList(),
					session.sid().equals(current)))
			.toList();
	}

	/** The owner pages are only shown to a logged-in person, so the login is there. */
	private RealmPrincipal login(HttpServletRequest request, Realm realm) {
		return this.logins.current(request, realm).map(RealmAuthentication::getPrincipal).orElseThrow();
	}

	private String name(Realm realm, String clientId) {
		return this.clients.definition(realm.name(), clientId).map(ClientDefinition::name).orElse(clientId);
	}

	/**
	 * A session as the page shows it.
	 * @param current whether it is the session of the browser looking at the page
	 */
	record Row(String sid, BrowserDescription device, String userAgent, String ipAddress, Instant startedAt,
			Instant lastUsedAt, List<String> applications, boolean current) {
	}

}
