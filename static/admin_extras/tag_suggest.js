"use strict";
// Suggests existing tags for the token being typed in taggit's comma-separated input.
// Suggestions go in a native <datalist> whose options are the whole field value with the
// current token completed, so the browser's own dropdown and keyboard handling do the rest,
// and editors can still type a tag that does not exist yet.
{
    const DELAY_MS = 200;

    // taggit reads a name with a space or a comma as several tags unless it is quoted.
    function quoted(name) {
        return /[ ,]/.test(name) ? `"${name}"` : name;
    }

    function attach(input) {
        const list = document.createElement("datalist");
        list.id = `${input.id}_suggestions`;
        input.after(list);
        input.setAttribute("list", list.id);
        input.setAttribute("autocomplete", "off");
        let timer;
        let controller;

        async function suggest() {
            const cut = input.value.lastIndexOf(",") + 1;
            const head = input.value.slice(0, cut);
            const term = input.value.slice(cut).trim();
            controller?.abort();
            if (!term) {
                list.replaceChildren();
                return;
            }
            controller = new AbortController();
            const url = new URL(input.dataset.tagSuggestUrl, window.location.href);
            url.searchParams.set("term", term);
            let results;
            try {
                const response = await fetch(url, {signal: controller.signal});
                if (!response.ok) {
                    return;
                }
                results = (await response.json()).results;
            } catch {
                return;  // Aborted by a newer keystroke, or offline: no suggestions then.
            }
            const taken = new Set(head.split(",").map((name) => name.trim().toLowerCase()));
            const prefix = head ? `${head.trimEnd()} ` : "";
            list.replaceChildren(
                ...results
                    .filter((result) => !taken.has(result.text.toLowerCase()))
                    .map((result) => new Option(result.text, prefix + quoted(result.text)))
            );
        }

        input.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(suggest, DELAY_MS);
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("input[data-tag-suggest-url]").forEach(attach);
    });
}
