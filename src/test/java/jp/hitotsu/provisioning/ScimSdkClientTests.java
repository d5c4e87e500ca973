package jp.hitotsu.provisioning;

import java.util.List;
import java.util.UUID;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.UserResource;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jp.hitotsu.support.AdminApi;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.HttpUrlConnectorProvider;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real SCIM 2.0 client against realm "provisioned": UnboundID's SCIM 2 SDK (Jakarta REST
 * over Jersey) creates a user and a group with it, searches groups by filter, changes the
 * membership with PATCH, reads the user's groups and deletes, as an identity governance
 * product built on it would.
 */
class ScimSdkClientTests extends ServerTest {

	private Client http;

	private ScimService scim() {
		String token = new AdminApi(this).token("scim-feeder", "scim-feeder-test-pass-0001");
		// HttpURLConnection, Jersey's default transport, refuses PATCH unless Jersey sets it
		this.http = ClientBuilder.newClient(new ClientConfig().property(HttpUrlConnectorProvider.SET_METHOD_WORKAROUND,
				true))
			.register((jakarta.ws.rs.client.ClientRequestFilter) (request) -> request.getHeaders()
				.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
		return new ScimService(this.http.target(uri("/scim/v2/realms/provisioned")));
	}

	@AfterEach
	void close() {
		if (this.http != null) {
			this.http.close();
		}
	}

	@Test
	void sdkClientWhenItProvisionsUsersAndGroupsThenEveryStepIsUnderstood() throws Exception {
		ScimService scim = scim();
		String r = UUID.randomUUID().toString().substring(0, 8);
		assertThat(scim.getResourceTypes().getResources()).extracting(ResourceTypeResource::getName)
			.contains("User", "Group");

		UserResource user = new UserResource().setUserName("sdk-" + r)
			.setName(new Name().setFamilyName("Jensen").setGivenName("Barbara"))
			.setDisplayName("Babs " + r)
			.setEmails(List.of(new Email().setValue("sdk-" + r + "@example.jp").setType("work").setPrimary(true)));
		UserResource created = scim.create("Users", user);
		assertThat(created.getId()).isNotBlank();
		assertThat(created.getMeta().getVersion()).isEqualTo("W/\"1\"");

		GroupResource group = new GroupResource().setDisplayName("SDK Guides " + r)
			.setMembers(new Member().setValue(created.getId()));
		group.setExternalId("sdk-" + r);
		GroupResource createdGroup = scim.create("Groups", group);
		assertThat(createdGroup.getMembers()).extracting(Member::getValue).containsExactly(created.getId());
		assertThat(createdGroup.getMembers().get(0).getDisplay()).isEqualTo("Babs " + r);

		ListResponse<GroupResource> found = scim.searchRequest("Groups")
			.filter(Filter.and(Filter.eq("displayName", "sdk guides " + r),
					Filter.eq("members.value", created.getId())))
			.invoke(GroupResource.class);
		assertThat(found.getTotalResults()).isEqualTo(1);
		assertThat(found.getResources().get(0).getId()).isEqualTo(createdGroup.getId());

		UserResource read = scim.retrieve("Users", created.getId(), UserResource.class);
		assertThat(read.getGroups()).hasSize(1);
		assertThat(read.getGroups().get(0).getValue()).isEqualTo(createdGroup.getId());
		assertThat(read.getGroups().get(0).getDisplay()).isEqualTo("SDK Guides " + r);

		UserResource second = scim.create("Users", new UserResource().setUserName("sdk2-" + r)
			.setName(new Name().setFamilyName("Pepperidge").setGivenName("Mandy")));
		GroupResource added = scim.modifyRequest("Groups", createdGroup.getId())
			.addValues("members", new Member().setValue(second.getId()))
			.replaceValue("displayName", "SDK Tour Guides " + r)
			.attributes("displayName", "members")
			.invoke(GroupResource.class);
		assertThat(added.getDisplayName()).isEqualTo("SDK Tour Guides " + r);
		assertThat(added.getMembers()).extracting(Member::getValue)
			.containsExactlyInAnyOrder(created.getId(), second.getId());

		// without attributes asked for, a PATCH of a group answers 204 (RFC 7644 §3.5.2): no group to read
		assertThat(scim.modifyRequest("Groups", createdGroup.getId())
			.removeValues("members[value eq \"" + created.getId() + "\"]")
			.invoke(GroupResource.class)).isNull();
		GroupResource removed = scim.retrieve("Groups", createdGroup.getId(), GroupResource.class);
		assertThat(removed.getMembers()).extracting(Member::getValue).containsExactly(second.getId());
		assertThat(scim.retrieve("Users", created.getId(), UserResource.class).getGroups()).isNullOrEmpty();

		String stranger = UUID.randomUUID().toString();
		assertThatThrownBy(() -> scim.modifyRequest("Groups", createdGroup.getId())
			.addValues("members", new Member().setValue(stranger))
			.invoke(GroupResource.class)).isInstanceOfSatisfying(BadRequestException.class, (ex) -> {
				assertThat(ex.getScimError().getScimType()).isEqualTo("invalidValue");
				assertThat(ex.getScimError().getDetail()).contains(stranger);
			});

		scim.delete("Groups", createdGroup.getId());
		assertThatThrownBy(() -> scim.retrieve("Groups", createdGroup.getId(), GroupResource.class))
			.isInstanceOf(ResourceNotFoundException.class);
		scim.delete("Users", created.getId());
		scim.delete("Users", second.getId());
	}

}
