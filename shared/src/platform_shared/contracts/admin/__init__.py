"""The admin APIs' request and response bodies, one module per service (`platform` for the routes every
service serves): the services answer with them and the typed client (platform_shared/client) sends and reads
them, so neither redefines the other's. Pure: pydantic and the other contracts only."""
