package jp.hitotsu.selfservice;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.Identity;
import jp.hitotsu.oidc.ConnectedApplications;
import jp.hitotsu.oidc.ConnectedApplications.Application;
import jp.hitotsu.realm.Realm;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The applications the person has let in, each revocable after a confirmation page:
 * revoking withdraws the consent and ends the application's tokens for the person.
 */
@Controller
class ApplicationsController {

	private final AccountPages pages;

	private final ConnectedApplications applications;

	ApplicationsController(AccountPages pages, ConnectedApplications applications) {
		this.pages = pages;
		this.applications = applications;
	}

	@GetMapping("/realms/{realmName}/account/applications")
	String list(@RequestParam(name = "revoked", required = false) String revoked, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			this.pages.describe(model, owner);
			model.addAttribute("applications", this.applications.of(realm, owner.subject()));
			model.addAttribute("revoked", revoked);
			return "account-applications";
		});
	}

	/** The confirmation: nothing changes until the person confirms on this page. */
	@GetMapping("/realms/{realmName}/account/applications/revoke")
	String confirm(@RequestParam(name = "client", defaultValue = "") String clientId, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			Optional<Application> application = this.applications.find(realm, owner.subject(), clientId);
			if (application.isEmpty()) {
				return unknown(realm, owner, clientId, response, model);
			}
			this.pages.describe(model, owner);
			// not "application": in templates that name is the servlet context's attributes
			model.addAttribute("revoking", application.get());
			return "account-revoke";
		});
	}

	@PostMapping("/realms/{realmName}/account/applications/revoke")
	String revoke(@RequestParam(name = "client", defaultValue = "") String clientId, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			if (!this.applications.revoke(realm, owner.subject(), clientId, request.getRemoteAddr())) {
				return unknown(realm, owner, clientId, response, model);
			}
			return "redirect:/realms/" + realm.name() + "/account/applications?revoked";
		});
	}

	/** The list again, saying that the person has no such application (any more). */
	private String unknown(Realm realm, Identity owner, String clientId, HttpServletResponse response, Model model) {
		response.setStatus(HttpStatus.NOT_FOUND.value());
		this.pages.describe(model, owner);
		model.addAttribute("applications", this.applications.of(realm, owner.subject()));
		model.addAttribute("unknownClient", clientId);
		return "account-applications";
	}

}
