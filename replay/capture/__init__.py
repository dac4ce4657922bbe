"""What replay measures in a step: SQL statements, N+1 patterns, and the call tree."""
