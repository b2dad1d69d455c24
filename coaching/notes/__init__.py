"""The coach's own records of a client's search: private session notes, and the action items
agreed with the client (shown on the client's Today until done)."""
