package jp.hitotsu.support;

import java.io.IOException;
import java.net.URI;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.HitotsuApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that talk to a running server over HTTP. Every subclass shares one
 * Spring context, hence one server and one embedded PostgreSQL per test JVM: keep the
 * configuration here, never in a subclass.
 */
@SpringBootTest(classes = HitotsuApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(TestClock.Configuration.class)
public abstract class ServerTest {

	@LocalServerPort
	protected int port;

	/** The server's mail goes to the test JVM's SMTP server, for every test class alike. */
	@DynamicPropertySource
	static void mailServer(DynamicPropertyRegistry properties) {
		properties.add("spring.mail.host", () -> "127.0.0.1");
		properties.add("spring.mail.port", TestMailServer::port);
	}

	/** The server's base URL; loopback IP so the clients' loopback redirect URIs match. */
	protected String base() {
		return "http://127.0.0.1:" + this.port;
	}

	protected URI uri(String path) {
		return URI.create(base() + path);
	}

	protected Issuer issuer(String realm) {
		return new Issuer(base() + "/realms/" + realm);
	}

	/** The realm's endpoints as a client finds them: through discovery. */
	protected OIDCProviderMetadata discover(String realm) {
		try {
			return OIDCProviderMetadata.resolve(issuer(realm));
		}
		catch (GeneralException | IOException ex) {
			throw new AssertionError("Discovery of realm " + realm + " failed", ex);
		}
	}

	protected Browserless browser() {
		return new Browserless();
	}

	protected OidcClient client(String realm, String clientId, String secret) {
		return new OidcClient(discover(realm), clientId, secret);
	}

}
