"""The indicator stage: what a claim counts. tagger (part-of-speech tags, loaded once),
phrase (the noun phrase around a numeral, list heads, carry-over between claims)."""
