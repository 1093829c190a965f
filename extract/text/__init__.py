"""The text stage: reading characters (normalize), lines and headings (lines), a page into
articles (articles), an article into sentences and clauses (sentences)."""
