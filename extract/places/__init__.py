"""The place stage: the division list (gazetteer), names in a text (mentions), a name to a
Place (resolve), and which place a claim is about (attribution)."""
