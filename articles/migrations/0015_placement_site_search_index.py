import django.contrib.postgres.indexes
from django.db import migrations, models

import articles.models

# PL/pgSQL, not SQL: PostgreSQL would inline an SQL function's subquery into the query, and the
# index's expression would then never match the query's.
SITE_TERMS_FUNCTION = """
CREATE OR REPLACE FUNCTION placement_site_terms(site bigint, terms tsvector) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$ BEGIN
    RETURN array(SELECT site::text || ':' || lexeme FROM unnest(tsvector_to_array(terms)) lexeme);
END $$
"""


class Migration(migrations.Migration):
    """A site's search finds its matches in the site's own index of terms.

    Search ranks a site's newest 200 matches. Walking the site's placements by date and testing
    each article's terms stops after 200 matches, but at a million articles that is thousands
    of rows read for a two-word query; a GIN index on the site and the terms as two columns
    intersects the site's whole posting list with each word's across the network. An index of
    "site:term" keys (`articles.models.SiteTerms`) reads only the site's own posting lists.
    """

    dependencies = [
        ("articles", "0014_placement_search_terms"),
    ]

    operations = [
        migrations.RunSQL(
            SITE_TERMS_FUNCTION, "DROP FUNCTION IF EXISTS placement_site_terms(bigint, tsvector)"
        ),
        # Building the index takes minutes on a large network; production's timeout must not cut it.
        migrations.RunSQL("SET LOCAL statement_timeout = 0", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="placement",
            index=django.contrib.postgres.indexes.GinIndex(
                articles.models.SiteTerms(models.F("site"), models.F("search_terms")),
                condition=models.Q(("is_listed", True)),
                name="placement_site_search_idx",
            ),
        ),
        migrations.RunSQL('ANALYZE "articles_placement"', migrations.RunSQL.noop),
    ]
