"""The claims stage: numerals (numbers), their units (units) and qualifiers (qualifiers), and
which numerals are claims (claims)."""
