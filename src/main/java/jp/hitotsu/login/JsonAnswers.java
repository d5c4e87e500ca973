package jp.hitotsu.login;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Answers of the passkey endpoints, which the pages' script calls: where to go next, or
 * an error in the person's language for the page to show.
 */
@Component
class JsonAnswers {

	private final MessageSource messages;

	JsonAnswers(MessageSource messages) {
		this.messages = messages;
	}

	ResponseEntity<String> error(HttpStatus status, String messageKey) {
		String message = this.messages.getMessage(messageKey, null, LocaleContextHolder.getLocale());
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(JsonMapper.shared().writeValueAsString(Map.of("error", message)));
	}

	/** @param view a {@code redirect:} view name, as the login flow answers */
	ResponseEntity<String> redirect(String view) {
		String target = view.startsWith("redirect:") ? view.substring("redirect:".length()) : view;
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.body(JsonMapper.shared().writeValueAsString(Map.of("redirect", target)));
	}

}
