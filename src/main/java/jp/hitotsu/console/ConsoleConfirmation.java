package jp.hitotsu.console;

/**
 * An "are you sure" page before a change that cannot be taken back (templates/console/confirm.html):
 * its words, already in the administrator's language, and where its form posts. The form's
 * URL is the page's own, so a GET of it shows this page again.
 *
 * @param title the question, also the page's heading
 * @param consequence what will happen, and what cannot be undone
 * @param submit the button's words
 * @param action where the confirmation posts
 * @param cancel where "cancel" goes back to
 */
public record ConsoleConfirmation(String title, String consequence, String submit, String action, String cancel) {
}
