-- A grant keeps every refresh token it rotated out (presenting one again revokes the grant),
-- so a grant refreshed every few minutes for a day holds hundreds of them. Each refresh
-- marks the previous token rotated and drops the replaced access and ID tokens: through
-- this index it touches only the grant's live tokens, not all it ever had. The full
-- index on authorization_id stays for the cascade when a grant is deleted.
create index oauth_token_live_ix on oauth_token (authorization_id) where not rotated;
