-- One database per service (SPEC §2: each service owns its own database), each with two roles
-- (SPEC §7): the owner runs the migrations; the service runs as the runtime role, which the service
-- grants its tables after migrating, and on the audit log only INSERT and SELECT.
-- The passwords are for a local compose stack; set your own anywhere else.
CREATE ROLE policy_owner LOGIN PASSWORD 'policy-owner';
CREATE ROLE policy_runtime LOGIN PASSWORD 'policy-runtime';
CREATE DATABASE policy OWNER policy_owner;
REVOKE ALL ON DATABASE policy FROM PUBLIC;
GRANT CONNECT ON DATABASE policy TO policy_runtime;

CREATE ROLE lottery_owner LOGIN PASSWORD 'lottery-owner';
CREATE ROLE lottery_runtime LOGIN PASSWORD 'lottery-runtime';
CREATE DATABASE lottery OWNER lottery_owner;
REVOKE ALL ON DATABASE lottery FROM PUBLIC;
GRANT CONNECT ON DATABASE lottery TO lottery_runtime;

CREATE ROLE waitlist_owner LOGIN PASSWORD 'waitlist-owner';
CREATE ROLE waitlist_runtime LOGIN PASSWORD 'waitlist-runtime';
CREATE DATABASE waitlist OWNER waitlist_owner;
REVOKE ALL ON DATABASE waitlist FROM PUBLIC;
GRANT CONNECT ON DATABASE waitlist TO waitlist_runtime;

CREATE ROLE notifier_owner LOGIN PASSWORD 'notifier-owner';
CREATE ROLE notifier_runtime LOGIN PASSWORD 'notifier-runtime';
CREATE DATABASE notifier OWNER notifier_owner;
REVOKE ALL ON DATABASE notifier FROM PUBLIC;
GRANT CONNECT ON DATABASE notifier TO notifier_runtime;
