-- One database per service (SPEC §2: each service owns its own database).
CREATE DATABASE policy;
CREATE DATABASE lottery;
CREATE DATABASE waitlist;
CREATE DATABASE notifier;
