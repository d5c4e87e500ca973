package jp.hitotsu.support;

import java.util.Map;
import java.util.function.Predicate;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.assertj.core.api.MapAssert;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page walked with the keyboard alone, as the keyboard walk tests do: where focus is
 * after each key, and whether it is drawn (an outline of at least 2px), as a sighted
 * keyboard user needs.
 */
public final class KeyboardFocus {

	/** More Tab presses than any walked page has stops before the one sought. */
	private static final int MOST_STOPS = 40;

	private static final String FOCUSED = """
			() => {
			  const e = document.activeElement;
			  const style = getComputedStyle(e);
			  return {
			    id: e.id, tag: e.tagName.toLowerCase(), skip: e.classList.contains('skip-link'),
			    nav: e.closest('nav.account-nav') !== null,
			    text: (e.innerText || '').trim(),
			    label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
			    value: e.value === undefined ? '' : e.value,
			    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)
			  };
			}""";

	private KeyboardFocus() {
	}

	/**
	 * The first Tab stop of a page is its skip link (with this text), and Enter on it moves
	 * focus to main.
	 */
	public static void skipToMain(Page page, String skipLinkText) {
		// a key pressed before the new page has loaded would go to the old one
		page.waitForLoadState();
		assertFocus(tab(page), "").containsEntry("skip", true).containsEntry("text", skipLinkText);
		page.keyboard().press("Enter");
		assertFocus(focused(page), "main");
	}

	/** Presses the key until the focused element matches, checking that every stop on the way is drawn. */
	public static Map<String, Object> tabUntil(Page page, String key, Predicate<Map<String, Object>> sought) {
		for (int i = 0; i < MOST_STOPS; i++) {
			page.keyboard().press(key);
			Map<String, Object> element = focused(page);
			if (sought.test(element)) {
				return element;
			}
			assertVisibleFocus(element);
		}
		throw new AssertionError(key + " pressed " + MOST_STOPS + " times on " + page.url()
				+ " never reached the element sought; last " + focused(page));
	}

	public static Map<String, Object> tab(Page page) {
		page.keyboard().press("Tab");
		return focused(page);
	}

	/** A page that moves focus itself does so once loaded (autofocus): wait for it, then look. */
	public static Map<String, Object> focusedAfterLoad(Page page, String id) {
		PlaywrightAssertions.assertThat(page.locator("#" + id)).isFocused();
		return focused(page);
	}

	/** The focused element: id, tag, text, label, value, whether it is the skip link or in the navigation, its outline. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> focused(Page page) {
		return (Map<String, Object>) page.evaluate(FOCUSED);
	}

	/** Focus is on the element with this id ("" for none) and drawn; more can be asserted on the answer. */
	public static MapAssert<String, Object> assertFocus(Map<String, Object> element, String id) {
		assertThat(element).as("focused element").containsEntry("id", id);
		assertVisibleFocus(element);
		return assertThat(element).as("focused element");
	}

	public static void assertVisibleFocus(Map<String, Object> element) {
		assertThat(element.get("outlineStyle")).as(() -> "outline style of the focused " + element).isNotEqualTo("none");
		assertThat(((Number) element.get("outlineWidth")).doubleValue()).as(() -> "outline width of the focused " + element)
			.isGreaterThanOrEqualTo(2.0);
	}

}
