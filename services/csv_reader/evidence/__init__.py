"""Stage 4, evidence: what only the whole file can tell. Every row is read once before any is
stored, each question of questions.py asked of it until a row settles it (gather.py); the
layout is then settled by the answers (settle.py)."""
