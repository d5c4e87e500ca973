-- Owned by the recovery package: a link that proves a new address (account console, e-mail
-- change) carries that address until it is opened; the account keeps its old one meanwhile.
alter table password_reset_link add column new_email varchar(320);
