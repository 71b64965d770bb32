"""What a page means: extraction, word normalisation, relevance, duplicate fingerprints and
the judgement that turns them into a decision value. Pure functions: no database, no Scrapy.
"""
