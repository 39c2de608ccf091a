"""Admin identity every service needs: access tokens (signed by the policy service, verified locally
with its public keys) and the classification of routes into public / read by role / sensitive."""
