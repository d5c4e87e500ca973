-- Owned by the oidc package. A grant's tokens apart from the grant itself: a refresh or a
-- code exchange rewrites only the tokens (about 4.5 kB serialised), not the authorization
-- request and login it was made with (about 3.5 kB more), which are written once. Rows written
-- before this column hold everything in data and no tokens; they are read as before.
alter table oauth_authorization add column tokens bytea;

-- oauth_token only grows while its grant lives: a token counts if it is still its grant's
-- current one, so a refresh no longer marks the replaced refresh token rotated nor deletes
-- the replaced access and ID tokens, and no longer needs this index of the unmarked ones.
-- A replica of the previous release, during a rolling upgrade, finds the grants' tokens
-- through oauth_token_authorization_ix instead. The rotated column goes in a later release
-- (contract), once no release that reads it can run.
drop index oauth_token_live_ix;
