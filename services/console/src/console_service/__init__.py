"""The operators' web console (runbook: "Admin > Lottery", "Admin > Policies", the notification dashboard): the
runbook's screens for the Admin, the PM, Data and Partner Ops, rendered on the server over the four services'
admin APIs with the signed-in operator's own token. It keeps no database: every rule, role and audit record
stays in the service that owns it."""
