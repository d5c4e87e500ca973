package jp.hitotsu.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.hitotsu.provisioning.BundleProperties;
import jp.hitotsu.provisioning.DirectoryBundles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory bundles in the shared test context: the zone exports from the staff realm and
 * imports into test realms that trust its own key, as a My Number zone trusts the internet
 * zone's. An operator would pin the key printed by {@code bundle-key}; the tests write it
 * to the files the test configuration names.
 */
public final class Bundles {

	private Bundles() {
	}

	/** Writes this zone's bundle public key to every trusted-key file of the configuration. */
	public static void pinOwnKey(BundleProperties properties, DirectoryBundles bundles) {
		String jwk = bundles.publicKey();
		properties.imports().values().stream().flatMap((accepted) -> accepted.trustedKeys().stream()).forEach((file) -> {
			try {
				Path path = Path.of(file);
				Files.createDirectories(path.getParent());
				Files.writeString(path, jwk, StandardCharsets.UTF_8);
				path.toFile().deleteOnExit();
				path.getParent().toFile().deleteOnExit();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/** Exports a bundle from the staff realm through the admin API; it must succeed. */
	public static byte[] export(AdminApi admin, String token, String filterJson) {
		HttpResponse<byte[]> response = admin.postForBytes("/admin/api/realms/staff/bundles/export", token,
				filterJson);
		assertThat(response.statusCode()).as(() -> new String(response.body(), StandardCharsets.UTF_8))
			.isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jose");
		return response.body();
	}

	public static HttpResponse<String> importInto(AdminApi admin, String token, String realm, byte[] bundle) {
		return admin.post("/admin/api/realms/" + realm + "/bundles/import", token, "application/jose", bundle);
	}

}
