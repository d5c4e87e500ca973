package jp.hitotsu.selfservice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountService.OwnProfile;
import jp.hitotsu.account.AccountVersionConflictException;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Person;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.realm.ProfilePolicy.ProfileField;
import jp.hitotsu.realm.Realm;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The person's own data: shown in full, editable as far as the realm's {@code profile}
 * block allows, checked by the sign-up form's rules, and saved against the version shown
 * so that an administrator's change made meanwhile is not overwritten. The e-mail address
 * is read-only (a new one would need proving first); staff see their directory data
 * read-only.
 */
@Controller
class ProfileController {

	/** The form's fields, in the order the page shows them, with how to read each from a person. */
	private static final Map<String, Function<Person, String>> FIELDS = new LinkedHashMap<>();

	static {
		FIELDS.put("familyName", Person::familyName);
		FIELDS.put("givenName", Person::givenName);
		FIELDS.put("familyNameKana", Person::familyNameKana);
		FIELDS.put("givenNameKana", Person::givenNameKana);
		FIELDS.put("romanisedName", Person::romanisedName);
		FIELDS.put("phoneNumber", Person::phoneNumber);
	}

	private final AccountPages pages;

	private final AccountService accounts;

	private final DirectoryService directory;

	ProfileController(AccountPages pages, AccountService accounts, DirectoryService directory) {
		this.pages = pages;
		this.accounts = accounts;
		this.directory = directory;
	}

	@GetMapping("/realms/{realmName}/account/profile")
	String page(@RequestParam(name = "saved", required = false) String saved, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			OwnProfile profile = this.accounts.ownProfile(realm.name(), owner.subject()).orElseThrow();
			model.addAttribute("saved", saved != null);
			return render(model, realm, owner, profile, values(profile.person()), profile.version(), Map.of(), null);
		});
	}

	@PostMapping("/realms/{realmName}/account/profile")
	String save(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			model.addAttribute("saved", false);
			return save(realm, owner, form, request.getRemoteAddr(), response, model);
		});
	}

	private String save(Realm realm, Identity owner, Map<String, String> form, String ipAddress,
			HttpServletResponse response, Model model) {
		OwnProfile current = this.accounts.ownProfile(realm.name(), owner.subject()).orElseThrow();
		List<String> editable = editable(realm);
		Map<String, String> typed = new LinkedHashMap<>(values(current.person()));
		Map<String, String> errors = new LinkedHashMap<>();
		for (String field : FIELDS.keySet()) {
			String value = form.get(field);
			if (value == null) {
				continue;
			}
			if (editable.contains(field)) {
				typed.put(field, value);
			}
			else {
				errors.put(field, "profile.error.not-editable");
			}
		}
		Long version = parseVersion(form.get("version"));
		if (version == null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return render(model, realm, owner, current, typed, current.version(), errors, "profile.error.stale");
		}
		Person person = new Person(typed.get("familyName"), typed.get("givenName"), typed.get("familyNameKana"),
				typed.get("givenNameKana"), typed.get("romanisedName"), typed.get("phoneNumber"));
		// only what the person may change is theirs to fix; the rest is as the record keeper left it
		person.check()
			.stream()
			.filter((error) -> editable.contains(error.field()))
			.forEach((error) -> errors.putIfAbsent(error.field(), error.messageKey()));
		if (!errors.isEmpty()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return render(model, realm, owner, current, typed, version, errors, null);
		}
		Map<String, String> before = values(current.person());
		List<String> changed = new ArrayList<>();
		values(person).forEach((field, value) -> {
			if (!Objects.equals(value, before.get(field))) {
				changed.add(field);
			}
		});
		if (!changed.isEmpty()) {
			try {
				this.accounts.updateOwnPerson(realm.name(), owner.subject(), person, version, changed, ipAddress);
			}
			catch (AccountVersionConflictException ex) {
				// what is stored now is shown, with what was typed still in the form
				response.setStatus(HttpStatus.CONFLICT.value());
				OwnProfile now = this.accounts.ownProfile(realm.name(), owner.subject()).orElseThrow();
				return render(model, realm, owner, now, typed, now.version(), errors, "profile.error.stale");
			}
		}
		return "redirect:/realms/" + realm.name() + "/account/profile?saved";
	}

	private String render(Model model, Realm realm, Identity owner, OwnProfile profile, Map<String, String> form,
			long version, Map<String, String> fieldErrors, String formError) {
		this.pages.describe(model, owner);
		model.addAttribute("profile", profile);
		model.addAttribute("stored", values(profile.person()));
		model.addAttribute("form", form);
		model.addAttribute("version", version);
		model.addAttribute("emailChangeable", realm.profile().allows(ProfileField.EMAIL));
		model.addAttribute("editable", editable(realm));
		model.addAttribute("fields", List.copyOf(FIELDS.keySet()));
		model.addAttribute("fieldErrors", fieldErrors);
		model.addAttribute("formError", formError);
		model.addAttribute("staff", this.directory.staff(realm.name(), owner.id()).orElse(null));
		model.addAttribute("posts", this.directory.currentPosts(realm.name(), owner.id()));
		return "account-profile";
	}

	private static List<String> editable(Realm realm) {
		List<String> fields = new ArrayList<>();
		for (ProfileField field : ProfileField.values()) {
			if (realm.profile().allows(field)) {
				fields.addAll(field.formFields());
			}
		}
		return fields;
	}

	private static Map<String, String> values(Person person) {
		Map<String, String> values = new LinkedHashMap<>();
		FIELDS.forEach((field, reader) -> values.put(field, reader.apply(person)));
		return values;
	}

	private static Long parseVersion(String version) {
		try {
			return (version != null) ? Long.valueOf(version) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
