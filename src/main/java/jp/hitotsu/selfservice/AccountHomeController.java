package jp.hitotsu.selfservice;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The account console's home: who is logged in, and the way to every account page. */
@Controller
class AccountHomeController {

	private final AccountPages pages;

	AccountHomeController(AccountPages pages) {
		this.pages = pages;
	}

	@GetMapping("/realms/{realmName}/account")
	String home(HttpServletRequest request, HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			this.pages.describe(model, owner);
			return "account";
		});
	}

}
