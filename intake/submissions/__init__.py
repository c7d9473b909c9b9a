"""The blogger's work on submissions: decisions, proof, editing, erasure, the review queue."""
