package jp.hitotsu.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jp.hitotsu.realm.RealmDefinitionLoader;
import jp.hitotsu.realm.RealmDefinitionLoader.LoadedDefinition;
import jp.hitotsu.realm.Zone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart as an operator meets it: {@code helm lint --strict} and
 * {@code helm template} with each zone's values file, and the rendered manifests read back
 * for what must hold in production (the zone walls, the security context, no secret
 * value anywhere). No Spring context: this is the chart, not the server.
 */
class HelmChartTests {

	private static final String CHART = "helm/hitotsu";

	private static final String NAMESPACE = "hitotsu-test";

	private static final YAMLMapper YAML = new YAMLMapper();

	/** Environment variables that carry secrets: they may only come from a Secret. */
	private static final Pattern SECRET_ENV = Pattern
		.compile(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL|MASTER_KEY|PRIVATE).*|SPRING_DATASOURCE_(URL|USERNAME)");

	private static Helm helm;

	/** Per test, so that each test is reported skipped when helm is missing. */
	@BeforeEach
	void findHelm() {
		if (helm == null) {
			helm = Helm.locate();
		}
	}

	private static String values(String zone) {
		return CHART + "/values-" + zone + ".yaml";
	}

	private static List<JsonNode> render(String zone, String... extra) {
		List<String> arguments = new ArrayList<>(List.of("template", "hitotsu-" + zone, CHART, "--namespace",
				NAMESPACE, "-f", values(zone)));
		arguments.addAll(List.of(extra));
		String manifests = helm.run(arguments.toArray(String[]::new)).assertSucceeded().out();
		List<JsonNode> documents = new ArrayList<>();
		for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifests).readAll()) {
			if (document != null && !document.isNull() && !document.isMissingNode() && document.size() > 0) {
				documents.add(document);
			}
		}
		return documents;
	}

	private static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
		return documents.stream().filter((document) -> kind.equals(document.path("kind").asString())).toList();
	}

	private static JsonNode one(List<JsonNode> documents, String kind) {
		List<JsonNode> found = ofKind(documents, kind);
		assertThat(found).as("rendered objects of kind " + kind).hasSize(1);
		return found.get(0);
	}

	private static JsonNode container(List<JsonNode> documents) {
		JsonNode containers = one(documents, "Deployment").at("/spec/template/spec/containers");
		assertThat(containers.size()).isEqualTo(1);
		return containers.get(0);
	}

	private static Map<String, JsonNode> env(JsonNode container) {
		Map<String, JsonNode> env = new HashMap<>();
		for (JsonNode variable : container.path("env")) {
			assertThat(env.put(variable.path("name").asString(), variable)).as("env " + variable.path("name"))
				.isNull();
		}
		return env;
	}

	private static Map<String, String> labels(JsonNode node) {
		Map<String, String> labels = new HashMap<>();
		node.propertyStream().forEach((entry) -> labels.put(entry.getKey(), entry.getValue().asString()));
		return labels;
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void lintWhenZoneValuesThenNoFinding(String zone) {
		Helm.Result lint = helm.run("lint", "--strict", CHART, "-f", values(zone)).assertSucceeded();
		assertThat(lint.out()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]",
				"[ERROR]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenEveryPartOfTheReleaseOnce(String zone) {
		List<JsonNode> documents = render(zone);
		for (String kind : List.of("Deployment", "Service", "ServiceAccount", "ConfigMap", "HorizontalPodAutoscaler",
				"PodDisruptionBudget", "Ingress")) {
			one(documents, kind);
		}
		JsonNode hpa = one(documents, "HorizontalPodAutoscaler");
		assertThat(hpa.at("/spec/scaleTargetRef/kind").asString()).isEqualTo("Deployment");
		assertThat(hpa.at("/spec/scaleTargetRef/name").asString())
			.isEqualTo(one(documents, "Deployment").at("/metadata/name").asString());
		assertThat(hpa.at("/spec/metrics/0/resource/name").asString()).isEqualTo("cpu");
		assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
		Map<String, String> podLabels = labels(one(documents, "Deployment").at("/spec/template/metadata/labels"));
		assertThat(podLabels).containsAllEntriesOf(labels(one(documents, "PodDisruptionBudget")
			.at("/spec/selector/matchLabels")));
		assertThat(podLabels).containsAllEntriesOf(labels(one(documents, "Service").at("/spec/selector")));
		assertThat(podLabels).containsEntry("hitotsu.jp/zone", zone);
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenNoSecretValueRendered(String zone) {
		List<JsonNode> documents = render(zone);
		assertThat(ofKind(documents, "Secret")).as("Secrets made by the chart").isEmpty();
		Map<String, JsonNode> env = env(container(documents));
		assertThat(env).containsKeys("HITOTSU_KEYS_MASTER_KEY", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
				"SPRING_DATASOURCE_PASSWORD");
		env.forEach((name, variable) -> {
			if (SECRET_ENV.matcher(name).matches()) {
				assertThat(variable.has("value")).as(name + " given as a value").isFalse();
				assertThat(variable.at("/valueFrom/secretKeyRef/name").asString()).as(name + " from a Secret")
					.isNotBlank();
				assertThat(variable.at("/valueFrom/secretKeyRef/key").asString()).isNotBlank();
			}
		});
		assertThat(container(documents).has("envFrom")).isFalse();
		// realm files: clients give secret-hash, people have no password here
		JsonNode realms = one(documents, "ConfigMap").path("data");
		assertThat(realms.size()).isPositive();
		realms.propertyStream().forEach((file) -> {
			JsonNode realm = YAML.readTree(file.getValue().asString());
			for (JsonNode client : realm.path("clients")) {
				assertThat(client.has("secret")).as(file.getKey() + ": client secret in the clear").isFalse();
			}
			for (JsonNode user : realm.path("users")) {
				assertThat(user.has("password")).as(file.getKey() + ": user password in the clear").isFalse();
			}
		});
	}

	@Test
	void templateWhenRealmHoldsSecretInTheClearThenRefused() {
		Helm.Result clientSecret = helm.run("template", "x", CHART, "-f", values("internet"), "--set",
				"realms.extra\\.yaml.clients[0].secret=s3cret-value");
		assertThat(clientSecret.exitCode()).isNotZero();
		assertThat(clientSecret.err()).contains("secret-hash").doesNotContain("s3cret-value");
		Helm.Result userPassword = helm.run("template", "x", CHART, "-f", values("internet"), "--set-string",
				"realms.extra\\.yaml=name: extra\nzone: internet\nusers:\n  - username: a\n    password: pw\n");
		assertThat(userPassword.exitCode()).isNotZero();
	}

	@Test
	void templateWhenSecretNamesMissingThenRefused() {
		Helm.Result result = helm.run("template", "x", CHART, "-f", values("internet"), "--set",
				"secrets.masterKey.name=");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.err()).contains("secrets.masterKey.name");
	}

	@Test
	void templateWhenRealmOfAnotherZoneThenRefused() {
		Helm.Result result = helm.run("template", "x", CHART, "-f", values("mynumber"), "--set",
				"realms.staff\\.yaml.zone=internet");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.err()).contains("is a realm of zone \"internet\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenRealmFilesLoadForThatZone(String zone, @TempDir Path directory)
			throws IOException {
		List<JsonNode> documents = render(zone);
		JsonNode container = container(documents);
		Map<String, JsonNode> env = env(container);
		assertThat(env.get("HITOTSU_ZONE").path("value").asString()).isEqualTo(zone);
		// the realms directory is where the ConfigMap is mounted
		String realmsDir = env.get("HITOTSU_REALMS_DIR").path("value").asString();
		String volume = null;
		for (JsonNode mount : container.path("volumeMounts")) {
			if (mount.path("mountPath").asString().equals(realmsDir)) {
				volume = mount.path("name").asString();
				assertThat(mount.path("readOnly").asBoolean()).isTrue();
			}
		}
		assertThat(volume).as("a volume mounted at " + realmsDir).isNotNull();
		JsonNode configMap = one(documents, "ConfigMap");
		boolean fromConfigMap = false;
		for (JsonNode entry : one(documents, "Deployment").at("/spec/template/spec/volumes")) {
			if (entry.path("name").asString().equals(volume)) {
				fromConfigMap = entry.at("/configMap/name").asString()
					.equals(configMap.at("/metadata/name").asString());
			}
		}
		assertThat(fromConfigMap).as("the realms volume is the ConfigMap").isTrue();
		// the files are valid realm files of this zone, as the server reads them
		for (var file : configMap.path("data").properties()) {
			Files.writeString(directory.resolve(file.getKey()), file.getValue().asString());
		}
		List<LoadedDefinition> realms = new RealmDefinitionLoader().loadDirectory(directory);
		assertThat(realms).isNotEmpty()
			.allSatisfy((loaded) -> assertThat(loaded.definition().zone()).isEqualTo(Zone.of(zone)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenProbesOnHealthGroups(String zone) {
		JsonNode container = container(render(zone));
		assertThat(container.at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(container.at("/" + probe + "/httpGet/port").asString()).isEqualTo("management");
		}
		assertThat(container.at("/ports/0/name").asString()).isEqualTo("http");
		assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
		assertThat(container.at("/ports/1/name").asString()).isEqualTo("management");
		assertThat(env(container).get("MANAGEMENT_SERVER_PORT").path("value").asString())
			.isEqualTo(String.valueOf(container.at("/ports/1/containerPort").asInt()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenMetricsScrapedOnTheManagementPortOnlyAndLogsInJson(String zone) {
		List<JsonNode> documents = render(zone);
		JsonNode container = container(documents);
		String managementPort = env(container).get("MANAGEMENT_SERVER_PORT").path("value").asString();
		JsonNode annotations = one(documents, "Deployment").at("/spec/template/metadata/annotations");
		assertThat(annotations.path("prometheus.io/scrape").asString()).isEqualTo("true");
		assertThat(annotations.path("prometheus.io/port").asString()).isEqualTo(managementPort);
		assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/actuator/prometheus");
		assertThat(one(documents, "Service").at("/spec/ports").valueStream()
			.map((port) -> port.path("targetPort").asString())).as("the Service exposes the HTTP port only")
			.containsExactly("http");
		assertThat(env(container).get("LOGGING_STRUCTURED_FORMAT_CONSOLE").path("value").asString()).isEqualTo("ecs");
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenLockedDownPod(String zone) {
		List<JsonNode> documents = render(zone);
		JsonNode pod = one(documents, "Deployment").at("/spec/template/spec");
		assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as("pod automountServiceAccountToken")
			.isFalse();
		JsonNode account = one(documents, "ServiceAccount");
		assertThat(account.path("automountServiceAccountToken").asBoolean(true))
			.as("ServiceAccount automountServiceAccountToken")
			.isFalse();
		assertThat(pod.path("serviceAccountName").asString()).isEqualTo(account.at("/metadata/name").asString());
		assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("pod runAsNonRoot").isTrue();
		assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
		assertThat(pod.at("/securityContext/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");

		JsonNode container = container(documents);
		JsonNode security = container.path("securityContext");
		assertThat(security.path("runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
		assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
		assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("allowPrivilegeEscalation").isFalse();
		assertThat(security.path("privileged").asBoolean(false)).as("privileged").isFalse();
		assertThat(security.at("/capabilities/drop").valueStream().map(JsonNode::asString)).containsExactly("ALL");
		assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
		assertThat(security.at("/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");

		// the read-only root needs writable /tmp (Tomcat, the JVM) and the data directory
		Set<String> emptyDirs = new java.util.HashSet<>();
		pod.path("volumes").forEach((volume) -> {
			if (volume.has("emptyDir")) {
				emptyDirs.add(volume.path("name").asString());
			}
		});
		Map<String, String> mounts = new HashMap<>();
		container.path("volumeMounts")
			.forEach((mount) -> mounts.put(mount.path("mountPath").asString(), mount.path("name").asString()));
		assertThat(emptyDirs).contains(mounts.get("/tmp"));
		String dataDir = env(container).get("HITOTSU_DATA_DIR").path("value").asString();
		assertThat(emptyDirs).contains(mounts.get(dataDir));
		assertThat(env(container).get("JAVA_TOOL_OPTIONS").path("value").asString()).contains("-XX:MaxRAMPercentage=",
				"-Djava.io.tmpdir=/tmp");
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenShutdownFitsTheGracePeriod(String zone) {
		List<JsonNode> documents = render(zone);
		JsonNode pod = one(documents, "Deployment").at("/spec/template/spec");
		JsonNode container = container(documents);
		Duration phase = DurationStyle.detectAndParse(
				env(container).get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE").path("value").asString());
		long preStop = container.at("/lifecycle/preStop/sleep/seconds").asLong();
		assertThat(preStop).isPositive();
		assertThat(pod.path("terminationGracePeriodSeconds").asLong())
			.isGreaterThan(preStop + phase.toSeconds());
		assertThat(env(container).get("SERVER_FORWARD_HEADERS_STRATEGY").path("value").asString())
			.isEqualTo("framework");
	}

	@ParameterizedTest
	@ValueSource(strings = { "internet", "mynumber" })
	void templateWhenZoneValuesThenResourcesAndSpread(String zone) {
		List<JsonNode> documents = render(zone);
		JsonNode resources = container(documents).path("resources");
		for (String field : List.of("/requests/cpu", "/requests/memory", "/limits/cpu", "/limits/memory")) {
			assertThat(resources.at(field).asString()).as(field).isNotBlank();
		}
		// memory is not overcommitted: the JVM's heap is a share of a limit it really has
		assertThat(resources.at("/limits/memory").asString()).isEqualTo(resources.at("/requests/memory").asString());
		JsonNode spread = one(documents, "Deployment").at("/spec/template/spec/topologySpreadConstraints");
		assertThat(spread.valueStream().map((constraint) -> constraint.path("topologyKey").asString()))
			.containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
	}

	@Test
	void templateWhenInternetThenNoNetworkPolicy() {
		// the internet zone calls out (SMTP, clients' jwks-uri): its walls are the cluster's
		assertThat(ofKind(render("internet"), "NetworkPolicy")).isEmpty();
	}

	@Test
	void templateWhenMynumberThenPodsWalledIn() {
		List<JsonNode> documents = render("mynumber");
		Map<String, String> podLabels = labels(one(documents, "Deployment").at("/spec/template/metadata/labels"));
		List<JsonNode> policies = ofKind(documents, "NetworkPolicy").stream()
			.filter((policy) -> podLabels.entrySet()
				.containsAll(labels(policy.at("/spec/podSelector/matchLabels")).entrySet()))
			.toList();
		assertThat(policies).isNotEmpty();
		policies.forEach((policy) -> assertThat(policy.at("/spec/podSelector/matchExpressions").isMissingNode())
			.isTrue());

		// default deny both ways: one policy names both directions and allows nothing
		assertThat(policies).anySatisfy((policy) -> {
			assertThat(policy.at("/spec/policyTypes").valueStream().map(JsonNode::asString))
				.containsExactlyInAnyOrder("Ingress", "Egress");
			assertThat(policy.at("/spec/ingress").size()).isZero();
			assertThat(policy.at("/spec/egress").size()).isZero();
		});

		// ingress: HTTP only from namespaces labelled for the zone; the management port (the
		// metrics) only from the zone's Prometheus
		List<JsonNode> ingress = policies.stream().flatMap((policy) -> policy.at("/spec/ingress").valueStream()).toList();
		assertThat(ingress).isNotEmpty().allSatisfy((rule) -> {
			assertThat(rule.path("from").size()).as("a rule without 'from' allows every source").isPositive();
			List<String> ports = rule.path("ports").valueStream().map((port) -> port.path("port").asString()).toList();
			assertThat(ports).hasSize(1).containsAnyOf("http", "management");
			String label = "http".equals(ports.get(0)) ? "hitotsu.jp/zone" : "hitotsu.jp/monitoring";
			rule.path("from").forEach((peer) -> {
				assertThat(peer.propertyNames()).containsExactly("namespaceSelector");
				assertThat(labels(peer.at("/namespaceSelector/matchLabels"))).containsEntry(label, "mynumber");
				assertThat(peer.at("/namespaceSelector/matchExpressions").isMissingNode()).isTrue();
			});
		});

		// egress: DNS to kube-dns on 53 and the zone's PostgreSQL on 5432, nothing else
		List<JsonNode> egress = policies.stream().flatMap((policy) -> policy.at("/spec/egress").valueStream()).toList();
		assertThat(egress).hasSize(2);
		JsonNode dns = egress.stream()
			.filter((rule) -> rule.path("ports").valueStream().anyMatch((port) -> port.path("port").asInt() == 53))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no DNS rule in " + egress));
		assertThat(dns.path("ports").valueStream()
			.map((port) -> port.path("protocol").asString() + "/" + port.path("port").asInt()))
			.containsExactlyInAnyOrder("UDP/53", "TCP/53");
		assertThat(dns.path("to").size()).isEqualTo(1);
		assertThat(labels(dns.at("/to/0/podSelector/matchLabels"))).containsEntry("k8s-app", "kube-dns");
		assertThat(labels(dns.at("/to/0/namespaceSelector/matchLabels")))
			.containsEntry("kubernetes.io/metadata.name", "kube-system");

		JsonNode postgres = egress.stream().filter((rule) -> rule != dns).findFirst().orElseThrow();
		assertThat(postgres.path("ports").valueStream()
			.map((port) -> port.path("protocol").asString() + "/" + port.path("port").asInt()))
			.containsExactly("TCP/5432");
		assertThat(postgres.path("to").size()).as("a rule without 'to' allows every destination").isPositive();
		postgres.path("to").forEach((peer) -> {
			if (peer.has("ipBlock")) {
				String cidr = peer.at("/ipBlock/cidr").asString();
				assertThat(Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)))
					.as("PostgreSQL peer %s: a network, not the internet", cidr)
					.isGreaterThanOrEqualTo(16);
				assertThat(peer.at("/ipBlock/except").isMissingNode()).isTrue();
			}
			else {
				assertThat(peer.has("podSelector")).as("a namespace-wide PostgreSQL peer: " + peer).isTrue();
			}
		});
	}

	@Test
	void templateWhenMynumberNamesLogoutHostsThenTheServerAndTheWallAllowThoseOnly() {
		List<JsonNode> documents = render("mynumber", "--set",
				"logout.allowedHosts={rp.mynumber.example.lg.jp,ledger.mynumber.example.lg.jp}", "--set",
				"networkPolicy.logout.to[0].ipBlock.cidr=10.64.30.0/24");
		assertThat(env(container(documents)).get("HITOTSU_LOGOUT_ALLOWED_HOSTS").path("value").asString())
			.isEqualTo("rp.mynumber.example.lg.jp,ledger.mynumber.example.lg.jp");
		List<JsonNode> logout = ofKind(documents, "NetworkPolicy").stream()
			.flatMap((policy) -> policy.at("/spec/egress").valueStream())
			.filter((rule) -> rule.path("ports").valueStream().anyMatch((port) -> port.path("port").asInt() == 443))
			.toList();
		assertThat(logout).hasSize(1);
		assertThat(logout.get(0).at("/to/0/ipBlock/cidr").asString()).isEqualTo("10.64.30.0/24");
		assertThat(logout.get(0).path("to").size()).as("the relying parties named, no more").isEqualTo(1);
		assertThat(env(container(render("mynumber")))).as("no hosts unless named")
			.doesNotContainKey("HITOTSU_LOGOUT_ALLOWED_HOSTS");
	}

}
