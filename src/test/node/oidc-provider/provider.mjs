// An upstream OpenID provider of another implementation than Hitotsu's (panva/node-oidc-provider),
// started by process/BrokerIT on a loopback port. One client, the test's: private_key_jwt with the
// test's public key, PKCE required. Its development login accepts any name (the account id) and
// asks for consent; accounts have a name and an e-mail address, and one claim that looks like a
// My Number, which Hitotsu must drop.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'hitotsu-broker',
    redirect_uris: [process.env.REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: JSON.parse(process.env.CLIENT_JWKS),
  }],
  claims: { openid: ['sub'], profile: ['family_name', 'given_name', 'individual_number'], email: ['email', 'email_verified'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, family_name: '外部', given_name: id, email: `${id}@example.test`, email_verified: true,
          individual_number: '210987654321' };
      },
    };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
