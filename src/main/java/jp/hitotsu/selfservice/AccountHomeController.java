package jp.hitotsu.selfservice;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.Identity;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

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
		Realm realm = RealmContext.require();
		Optional<Identity> owner = this.pages.owner(request, realm);
		if (owner.isEmpty()) {
			return this.pages.loginFirst(request, response, realm);
		}
		this.pages.describe(model, owner.get());
		return "account";
	}

}
