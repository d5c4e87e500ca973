package jp.hitotsu.web;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The header rules without regex accept exactly what Spring Security's regexes accept. */
class FirewallConfigurationTests {

	private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void headerRulesWhenEveryCodePointThenSameAsSpringSecurityRegex() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String value = "a" + new String(Character.toChars(codePoint)) + "b";
			assertThat(FirewallConfiguration.HEADER_NAME.test(value)).as("name U+%04X", codePoint)
				.isEqualTo(NAME.matcher(value).matches());
			assertThat(FirewallConfiguration.HEADER_VALUE.test(value)).as("value U+%04X", codePoint)
				.isEqualTo(VALUE.matcher(value).matches());
		}
	}

	@Test
	void headerRulesWhenLoneSurrogateThenSameAsSpringSecurityRegex() {
		for (String value : new String[] { "a\uD800", "\uDC00b", "\uD83D\uDE00", "Bearer eyJ.x.y", "" }) {
			assertThat(FirewallConfiguration.HEADER_VALUE.test(value)).isEqualTo(VALUE.matcher(value).matches());
			assertThat(FirewallConfiguration.HEADER_NAME.test(value)).isEqualTo(NAME.matcher(value).matches());
		}
	}

}
