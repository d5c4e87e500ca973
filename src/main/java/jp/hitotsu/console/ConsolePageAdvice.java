package jp.hitotsu.console;

import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What every console page needs: who is logged in, and for a page of one realm
 * ({@code /admin/realms/{realm}/...}) that realm as the API shows it to this administrator,
 * with what they may do there (the navigation offers only that). A refusal of the API
 * becomes a page in the administrator's language with the API's status.
 */
@ConsoleServed
@ControllerAdvice(basePackageClasses = ConsolePageAdvice.class)
class ConsolePageAdvice {

	private final AdminApi api;

	private final ConsoleProperties properties;

	private final MessageSource messages;

	ConsolePageAdvice(AdminApi api, ConsoleProperties properties, MessageSource messages) {
		this.api = api;
		this.properties = properties;
		this.messages = messages;
	}

	@ModelAttribute("format")
	ConsoleFormat format(Locale locale) {
		return new ConsoleFormat(this.properties.timeZone(), this.messages, locale);
	}

	@ModelAttribute("administrator")
	String administrator(@AuthenticationPrincipal OidcUser user) {
		if (user == null) {
			return null;
		}
		String name = user.getFullName();
		return (name != null && !name.isBlank()) ? name : user.getSubject();
	}

	@ModelAttribute("consoleSections")
	ConsoleSections[] sections() {
		return ConsoleSections.values();
	}

	@ModelAttribute("consoleRealm")
	Map<String, Object> consoleRealm(HttpServletRequest request) {
		Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		Object realm = (variables instanceof Map<?, ?> map) ? map.get("realm") : null;
		if (realm == null) {
			return null;
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> summary = (Map<String, Object>) this.api.object("/realms/{realm}", realm).get("realm");
		return summary;
	}

	@ExceptionHandler
	String refused(AdminApiException refusal, HttpServletResponse response, Model model) {
		response.setStatus(refusal.getStatus());
		model.addAttribute("problem", refusal);
		return "console/problem";
	}

}
