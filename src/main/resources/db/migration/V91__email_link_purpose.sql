-- Owned by the recovery package: the single-use mail links now serve two purposes, setting a
-- forgotten password and proving an address at sign-up; a link of one never works as the
-- other. Existing rows are password-reset links.
alter table password_reset_link add column purpose varchar(32) not null default 'password-reset';
