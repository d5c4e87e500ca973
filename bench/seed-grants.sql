-- Fills a Hitotsu database with stored grants, to check that token issuance and lookup
-- stay flat as the grant tables grow (issue 7: "10 million stored authorizations").
--
--   psql -h 127.0.0.1 -p PORT -U postgres -v grants=10000000 -v realm=bench -f bench/seed-grants.sql
--
-- Each seeded grant has a refresh token and an access token row, found by hash like real
-- ones; their payload is a placeholder that no real token's hash ever reaches. They expire
-- in a week, so the purge leaves them alone; `delete from oauth_authorization where id like
-- 'seed-%'` removes them.
\set ON_ERROR_STOP on
\timing on
begin;
insert into oauth_authorization (id, realm, registered_client_id, principal_name, grant_type, session_id, data,
                                 version, expires_at)
select 'seed-' || g, :'realm', 'seed-client', 'seed-user-' || (g % 200000), 'authorization_code', null,
       '\x00'::bytea, 1, now() + interval '7 days'
from generate_series(1, :grants) as g;
insert into oauth_token (token_hash, authorization_id, token_type)
select sha256(convert_to('seed-refresh-' || g, 'UTF8')), 'seed-' || g, 'refresh_token'
from generate_series(1, :grants) as g;
insert into oauth_token (token_hash, authorization_id, token_type)
select sha256(convert_to('seed-access-' || g, 'UTF8')), 'seed-' || g, 'access_token'
from generate_series(1, :grants) as g;
commit;
analyze oauth_authorization;
analyze oauth_token;
select count(*) as grants from oauth_authorization;
select pg_size_pretty(pg_total_relation_size('oauth_authorization') + pg_total_relation_size('oauth_token')) as size;
