package jp.hitotsu.login;

/** What the login form posts. */
record LoginForm(String username, String password) {

	static final int MAX_USERNAME = 255;

	/** Long enough for any passphrase, short enough that nobody makes us hash a megabyte. */
	static final int MAX_PASSWORD = 1024;

	LoginForm {
		username = (username != null) ? username : "";
		password = (password != null) ? password : "";
	}

}
