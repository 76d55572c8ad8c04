"""The knowledge base: known entities, their Arabic forms, offices and titles (data in resources/kb/)."""
