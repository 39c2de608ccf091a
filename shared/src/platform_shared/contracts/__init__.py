"""Event contracts, topic names and the typed policy document: what crosses Kafka. Pure."""
