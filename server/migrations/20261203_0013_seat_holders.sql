-- Who holds a seat (the users a case routed to it notifies) is asked on every filing: the users whose scope names the
-- seat's node or one of its ancestors. An index on the scope codes answers it without reading every user.
create index app_user_scope_codes on app_user using gin (scope_codes);
-- …or, where few users hold the seat's roles, from the roles: the users of a role.
create index app_user_role_role on app_user_role (role_code);
