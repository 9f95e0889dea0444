from django.db import migrations


class Migration(migrations.Migration):
    """Keep each article's search vector in its table row, compressed, instead of in TOAST.

    A search walks the newest articles and tests each one's vector until it has found the
    newest matches; at a million articles a common word tests thousands of vectors, and a
    TOASTed one costs an index lookup and several chunk reads each. Rows written before this
    migration keep their TOASTed vectors until they are next saved.
    """

    dependencies = [("articles", "0006_reader_list_indexes")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
        )
    ]
