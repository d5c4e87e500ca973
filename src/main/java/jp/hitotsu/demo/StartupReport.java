package jp.hitotsu.demo;

import java.util.stream.Collectors;

import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever started the server where to point a browser. */
@Component
class StartupReport {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final RealmRegistry realms;

	StartupReport(RealmRegistry realms) {
		this.realms = realms;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
			return;
		}
		String base = "http://127.0.0.1:" + web.getWebServer().getPort();
		logger.info("Hitotsu is ready for zone '{}'. Open {}/ in a browser. Realms: {}", this.realms.zone().id(), base,
				this.realms.all()
					.stream()
					.map((Realm realm) -> realm.name() + " (" + base + realm.issuerPath() + ")")
					.collect(Collectors.joining(", ")));
	}

}
