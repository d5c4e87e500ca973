-- The login package marks each realm login in a browser session with an attribute named
-- after the account (hitotsu.login-account.<realm>.<subject>), so that disabling the
-- account can end its logins at once; this index finds them without a scan.
create index spring_session_attributes_name_ix on spring_session_attributes (attribute_name);
