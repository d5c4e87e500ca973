-- Owned by the oidc package. When a person last consented to a client, for the account
-- console's applications page; consents given before this migration read as given now.
alter table oauth_consent add column granted_at timestamptz not null default now();
