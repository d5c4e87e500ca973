package jp.hitotsu.demo;

import java.util.List;

import jp.hitotsu.console.AdminConsole;
import jp.hitotsu.oidc.RealmClientRepository;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import jp.hitotsu.realm.Zone;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The page a newcomer sees at {@code /}: the zone's realms, their discovery URLs, the demo
 * accounts, a button to try a real login through the built-in demo client, and the way to
 * the admin console.
 */
@Controller
class HomeController {

	private final RealmRegistry realms;

	private final RealmClientRepository clients;

	private final Environment environment;

	HomeController(RealmRegistry realms, RealmClientRepository clients, Environment environment) {
		this.realms = realms;
		this.clients = clients;
		this.environment = environment;
	}

	@GetMapping("/")
	String home(Model model) {
		String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		List<RealmCard> cards = this.realms.all()
			.stream()
			.map((realm) -> new RealmCard(realm, base + realm.issuerPath(),
					// no demo client in the My Number zone: it would call out over HTTP
					this.realms.zone() != Zone.MYNUMBER
							&& this.clients.definition(realm.name(), DemoClientController.CLIENT_ID).isPresent(),
					this.realms.demoAccounts(realm.name())))
			.toList();
		model.addAttribute("zone", this.realms.zone().id());
		model.addAttribute("realms", cards);
		model.addAttribute("adminConsole", AdminConsole.servedIn(this.environment));
		return "home";
	}

	record RealmCard(Realm realm, String issuer, boolean demoClient, List<RealmRegistry.DemoAccount> demoAccounts) {

		public String discovery() {
			return this.issuer + "/.well-known/openid-configuration";
		}

	}

}
