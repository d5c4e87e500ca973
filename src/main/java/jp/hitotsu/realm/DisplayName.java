package jp.hitotsu.realm;

import java.util.Locale;

/** A name shown to people, in Japanese and English. */
public record DisplayName(String ja, String en) {

	public DisplayName {
		Definitions.require(ja != null && !ja.isBlank(), "display-name.ja is required");
		Definitions.require(en != null && !en.isBlank(), "display-name.en is required");
	}

	public String in(Locale locale) {
		return Locale.JAPANESE.getLanguage().equals(locale.getLanguage()) ? this.ja : this.en;
	}

}
