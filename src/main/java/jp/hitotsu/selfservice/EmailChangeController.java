package jp.hitotsu.selfservice;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.mail.EmailAddresses;
import jp.hitotsu.realm.ProfilePolicy.ProfileField;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The account console's e-mail change ({@link EmailChanges}): the logged-in owner types the
 * new address and their password; the link mailed to the new address is confirmed on a
 * page of its own (a button, so that mail scanners opening links change nothing), in any
 * browser: having the link proves the mailbox.
 */
@Controller
class EmailChangeController {

	private static final String PATH = "/realms/{realmName}/account/email";

	private final AccountPages pages;

	private final AccountService accounts;

	private final EmailChanges changes;

	EmailChangeController(AccountPages pages, AccountService accounts, EmailChanges changes) {
		this.pages = pages;
		this.accounts = accounts;
		this.changes = changes;
	}

	@GetMapping(PATH)
	String form(@RequestParam(name = "sent", required = false) String sent, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			if (!realm.profile().allows(ProfileField.EMAIL)) {
				return profile(realm);
			}
			model.addAttribute("sent", sent);
			return page(model, owner, "", Map.of());
		});
	}

	@PostMapping(PATH)
	String request(@RequestParam(name = "newEmail", defaultValue = "") String typed,
			@RequestParam(name = "currentPassword", defaultValue = "") String password, HttpServletRequest request,
			HttpServletResponse response, Locale locale, Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			if (!realm.profile().allows(ProfileField.EMAIL)) {
				return profile(realm);
			}
			String newEmail = typed.strip();
			Map<String, String> errors = new LinkedHashMap<>();
			EmailAddresses.problem(newEmail)
				.or(() -> newEmail.equalsIgnoreCase(owner.email()) ? Optional.of("email-change.error.same")
						: Optional.empty())
				.ifPresent((problem) -> errors.put("newEmail", problem));
			if (password.isEmpty() || !this.accounts.confirmOwnPassword(realm.name(), owner.subject(), password,
					"email-change", request.getRemoteAddr())) {
				errors.put("currentPassword", "email-change.error.password");
			}
			if (errors.isEmpty() && !this.changes.request(realm, owner, newEmail, locale, baseUrl(request),
					request.getRemoteAddr())) {
				errors.put("newEmail", "email-change.error.too-soon");
			}
			if (!errors.isEmpty()) {
				response.setStatus(HttpStatus.BAD_REQUEST.value());
				return page(model, owner, newEmail, errors);
			}
			return "redirect:/realms/" + realm.name() + "/account/email?sent";
		});
	}

	@GetMapping(PATH + "/confirm")
	String confirmPage(@RequestParam(name = "token", defaultValue = "") String token, HttpServletResponse response,
			Model model) {
		Realm realm = RealmContext.require();
		Optional<String> address = this.changes.pendingAddress(realm, token);
		if (address.isEmpty()) {
			return notice(response, HttpStatus.GONE, model, "email-change.unusable", null);
		}
		model.addAttribute("token", token);
		model.addAttribute("newEmail", address.get());
		return "email-change-confirm";
	}

	@PostMapping(PATH + "/confirm")
	String confirm(@RequestParam(name = "token", defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<String> address = this.changes.pendingAddress(realm, token);
		return switch (this.changes.confirm(realm, token, request.getRemoteAddr())) {
			case CHANGED -> notice(response, HttpStatus.OK, model, "email-change.changed", address.orElseThrow());
			case ADDRESS_IN_USE -> notice(response, HttpStatus.CONFLICT, model, "email-change.in-use", null);
			case LINK_UNUSABLE -> notice(response, HttpStatus.GONE, model, "email-change.unusable", null);
		};
	}

	private String page(Model model, Identity owner, String newEmail, Map<String, String> errors) {
		this.pages.describe(model, owner);
		model.addAttribute("newEmail", newEmail);
		model.addAttribute("errors", errors);
		return "account-email";
	}

	/** The recovery notices' page: a title, what happened, the way to the login. */
	private static String notice(HttpServletResponse response, HttpStatus status, Model model, String key,
			Object argument) {
		response.setStatus(status.value());
		model.addAttribute("title", key + ".title");
		model.addAttribute("message", key + ".message");
		model.addAttribute("argument", argument);
		model.addAttribute("offerNewLink", false);
		return "recovery-notice";
	}

	private static String profile(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/account/profile";
	}

	private static String baseUrl(HttpServletRequest request) {
		return ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
	}

}
