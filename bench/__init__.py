"""Benchmark tools: fill a database with N articles, load-test the site, EXPLAIN its queries.

Not part of the test run; see README.md ("Benchmark") and docs/performance.md.
"""
