"""A typed client of the admin APIs: each route declared once (method, path, request and answer models from
platform_shared/contracts/admin), checked against the services' OpenAPI documents by
tests/test_admin_client_contract.py. For lottery-ops, the tests and a console: it imports no service."""
