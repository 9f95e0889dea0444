'use strict';
// Replaces Django admin's URLify so a slug prefilled while typing a title is the slug the
// server would make (newsroom/slugs.py): same letters, lower case, cut at a whole word.
{
    const RUSSIAN_TO_LATIN = {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya"
    };
    const MAX_LENGTH = 80;

    function transliterateSlug(text) {
        const latin = Array.from(text.toLowerCase(), (ch) => RUSSIAN_TO_LATIN[ch] ?? ch).join("");
        const slug = latin
            .normalize("NFKD")
            .replace(/[\u0300-\u036f'"]/g, "")
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "");
        if (slug.length <= MAX_LENGTH) {
            return slug;
        }
        const cut = slug.slice(0, MAX_LENGTH + 1);
        if (cut.endsWith("-")) {
            return cut.replace(/-+$/, "");
        }
        const lastDash = cut.lastIndexOf("-");
        return lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, MAX_LENGTH);
    }

    window.URLify = (text) => transliterateSlug(text);
}
