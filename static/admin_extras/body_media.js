/*
 * The article body's photos, galleries and videos in django-prose-editor.
 *
 * Three nodes, written in the form articles/body.py keeps (and checks again on the server):
 *   <figure data-image="12"><figcaption>Подпись</figcaption></figure>
 *   <div class="gallery"><figure data-image="12">…</figure>…</div>
 *   <iframe src="https://…embed…" title="…" allowfullscreen loading="lazy"></iframe>
 * Photos come from the library through the admin's picker (?q= by title, ?ids= to show the
 * photos a body already holds); «Загрузить новое» opens the library's add form in a popup.
 */
import { Node, crel } from "django-prose-editor/editor"

const photos = new Map()

async function readPhotos(pickerUrl, params) {
  const response = await fetch(`${pickerUrl}?${new URLSearchParams(params)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(`Фотобиблиотека ответила ${response.status}`)
  const { results } = await response.json()
  for (const photo of results) photos.set(String(photo.id), photo)
  return results
}

async function photoById(pickerUrl, id) {
  const key = String(id)
  if (!photos.has(key)) await readPhotos(pickerUrl, { ids: key })
  return photos.get(key) || null
}

function creditLine(credit) {
  const text = (credit || "").trim()
  if (!text || /^(фото|photo)/i.test(text)) return text
  return `Фото: ${text}`
}

function dialogShell(editor, title) {
  const dialog = crel("dialog", { className: "body-media-dialog" })
  const form = crel("form", { method: "dialog" })
  form.append(crel("h3", { className: "body-media-dialog__title", textContent: title }))
  dialog.append(form)
  editor.view.dom.parentElement.append(dialog)
  dialog.addEventListener("close", () => dialog.remove())
  return { dialog, form }
}

function dialogButtons(form, submitText, onSubmit) {
  const submit = crel("button", { type: "submit", className: "default", textContent: submitText })
  const cancel = crel("button", { type: "button", textContent: "Отмена" })
  cancel.addEventListener("click", () => form.closest("dialog").close())
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (onSubmit()) form.closest("dialog").close()
  })
  form.append(crel("div", { className: "body-media-dialog__buttons" }, [submit, cancel]))
  return submit
}

let popupCounter = 0

/* The library picker: search by title, choose one photo (with its caption) or several. */
function pickPhotos(editor, { pickerUrl, addUrl }, { multiple }) {
  return new Promise((resolve) => {
    const { dialog, form } = dialogShell(
      editor,
      multiple ? "Галерея из фотобиблиотеки" : "Фото из библиотеки",
    )
    const chosen = []
    const search = crel("input", {
      type: "search",
      name: "q",
      placeholder: "Название фото",
      autocomplete: "off",
      "aria-label": "Поиск по названию",
    })
    const results = crel("ul", { className: "body-media-picker__results", role: "list" })
    const status = crel("p", { className: "body-media-picker__status", role: "status" })
    const caption = crel("input", { type: "text", name: "caption", maxLength: 300 })
    const captionField = crel("label", { className: "body-media-picker__caption" }, [
      crel("span", { textContent: "Подпись" }),
      caption,
    ])
    const newPhoto = crel("input", { type: "hidden", id: `id_body_new_photo_${++popupCounter}` })
    const upload = crel("a", {
      href: `${addUrl}?_popup=1`,
      className: "body-media-picker__upload",
      textContent: "Загрузить новое",
    })
    form.append(
      crel("div", { className: "body-media-picker__search" }, [search, upload]),
      status,
      results,
      newPhoto,
    )
    if (!multiple) form.append(captionField)

    const submit = dialogButtons(form, multiple ? "Вставить галерею" : "Вставить", () => {
      if (!chosen.length) {
        status.textContent = multiple ? "Выберите хотя бы два фото." : "Выберите фото."
        return false
      }
      if (multiple && chosen.length < 2) {
        status.textContent = "В галерее должно быть хотя бы два фото."
        return false
      }
      resolve(
        chosen.map((photo) => ({
          photo,
          caption: multiple ? photo.caption : caption.value.trim(),
        })),
      )
      return true
    })
    dialog.addEventListener("close", () => resolve(null))

    const refresh = () => {
      submit.textContent = multiple
        ? chosen.length
          ? `Вставить галерею (${chosen.length})`
          : "Вставить галерею"
        : "Вставить"
      for (const item of results.children) {
        const on = chosen.some((photo) => String(photo.id) === item.dataset.id)
        item.querySelector("button").setAttribute("aria-pressed", on ? "true" : "false")
      }
    }

    const choose = (photo) => {
      const index = chosen.findIndex((p) => p.id === photo.id)
      if (multiple) {
        if (index >= 0) chosen.splice(index, 1)
        else chosen.push(photo)
      } else {
        chosen.splice(0, chosen.length, photo)
        caption.value = photo.caption || ""
      }
      refresh()
    }

    const show = (found) => {
      results.textContent = ""
      status.textContent = found.length ? "" : "Ничего не найдено."
      for (const photo of found) {
        const button = crel("button", { type: "button", className: "body-media-picker__photo" }, [
          crel("img", { src: photo.thumbnail, alt: "", loading: "lazy" }),
          crel("span", { textContent: photo.title }),
        ])
        button.addEventListener("click", () => choose(photo))
        button.addEventListener("dblclick", () => {
          if (!multiple) form.requestSubmit()
        })
        results.append(crel("li", { "data-id": String(photo.id) }, [button]))
      }
      refresh()
    }

    let timer = null
    const find = () =>
      readPhotos(pickerUrl, search.value.trim() ? { q: search.value.trim() } : {})
        .then(show)
        .catch((error) => {
          status.textContent = `Не удалось загрузить фото: ${error.message}`
        })
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(find, 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault()
        clearTimeout(timer)
        find()
      }
    })

    // The admin's popup answers a new object by calling dismissAddRelatedObjectPopup, which
    // fills the element named like the popup window: here, the hidden input.
    upload.addEventListener("click", (event) => {
      event.preventDefault()
      const popup = window.open(upload.href, newPhoto.id, "width=900,height=700,resizable=yes")
      popup?.focus()
    })
    const added = () => {
      if (!newPhoto.value) return
      const id = newPhoto.value
      newPhoto.value = ""
      readPhotos(pickerUrl, { ids: id }).then((found) => {
        if (found.length) {
          show(found)
          choose(found[0])
        }
      })
    }
    window.django?.jQuery?.(newPhoto).on("change", added)

    dialog.showModal()
    search.focus()
    find()
  })
}

function editCaption(editor, current) {
  return new Promise((resolve) => {
    const { dialog, form } = dialogShell(editor, "Подпись к фото")
    const input = crel("input", { type: "text", name: "caption", value: current, maxLength: 300 })
    form.append(
      crel("label", { className: "body-media-picker__caption" }, [
        crel("span", { textContent: "Подпись" }),
        input,
      ]),
      crel("p", {
        className: "body-media-dialog__help",
        textContent: "Автор фото добавляется из фотобиблиотеки сам.",
      }),
    )
    dialogButtons(form, "Сохранить", () => {
      resolve(input.value.trim())
      return true
    })
    dialog.addEventListener("close", () => resolve(null))
    dialog.showModal()
    input.focus()
  })
}

/* Media go between blocks: after the block holding the cursor (an empty paragraph is replaced),
 * so a photo never splits a paragraph or lands inside a gallery. `at` is where the cursor was
 * when the button was pressed, before a dialog took the focus. */
function insertBlock(editor, at, content) {
  const { doc } = editor.state
  const $pos = doc.resolve(Math.min(at, doc.content.size))
  if ($pos.depth === 0) return editor.chain().focus().insertContentAt(at, content).run()
  const block = $pos.node(1)
  const range = { from: $pos.before(1), to: $pos.after(1) }
  if (block.type.name === "paragraph" && block.content.size === 0) {
    return editor.chain().focus().insertContentAt(range, content).run()
  }
  return editor.chain().focus().insertContentAt(range.to, content).run()
}

const figureContent = ({ photo, caption }) => ({
  type: "libraryFigure",
  attrs: { image: String(photo.id), caption: caption || "" },
})

export const LibraryFigure = Node.create({
  name: "libraryFigure",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { pickerUrl: null, addUrl: null }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attributes) => ({ "data-image": attributes.image }),
      },
      caption: {
        default: "",
        parseHTML: (element) =>
          (element.querySelector("figcaption")?.textContent || "").replace(/\s+/g, " ").trim(),
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ node }) {
    const attrs = { "data-image": node.attrs.image }
    return node.attrs.caption ? ["figure", attrs, ["figcaption", node.attrs.caption]] : ["figure", attrs]
  },

  addNodeView() {
    const { pickerUrl } = this.options
    return ({ node, editor, getPos }) => {
      const img = crel("img", { alt: "", className: "body-media-figure__image" })
      const text = crel("span", { className: "body-media-figure__caption" })
      const credit = crel("span", { className: "body-media-figure__credit" })
      const dom = crel("figure", { className: "body-media-figure", "data-image": node.attrs.image }, [
        img,
        crel("figcaption", {}, [text, credit]),
      ])
      dom.title = "Двойной щелчок — изменить подпись"
      let current = node
      const draw = () => {
        text.textContent = current.attrs.caption || ""
        photoById(pickerUrl, current.attrs.image)
          .then((photo) => {
            if (!photo) {
              text.textContent = "Фото нет в библиотеке: при сохранении оно будет убрано."
              return
            }
            img.src = photo.thumbnail
            img.alt = photo.alt
            if (!current.attrs.caption) text.textContent = photo.caption || ""
            credit.textContent = creditLine(photo.credit)
          })
          .catch(() => {
            text.textContent = "Не удалось загрузить фото."
          })
      }
      draw()
      dom.addEventListener("dblclick", (event) => {
        event.preventDefault()
        if (!editor.isEditable) return
        editCaption(editor, current.attrs.caption).then((caption) => {
          if (caption === null || typeof getPos !== "function") return
          editor
            .chain()
            .command(({ tr }) => {
              tr.setNodeAttribute(getPos(), "caption", caption)
              return true
            })
            .run()
        })
      })
      return {
        dom,
        update(updated) {
          if (updated.type !== current.type) return false
          current = updated
          draw()
          return true
        },
      }
    }
  },

  addCommands() {
    return {
      insertLibraryPhoto:
        () =>
        ({ editor }) => {
          const at = editor.state.selection.to
          pickPhotos(editor, this.options, { multiple: false }).then((picked) => {
            if (picked) insertBlock(editor, at, figureContent(picked[0]))
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "libraryFigure",
      groups: "media",
      button: buttons.text("Фото из библиотеки"),
      command(editor) {
        editor.commands.insertLibraryPhoto()
      },
    })
  },
})

export const Gallery = Node.create({
  name: "gallery",
  group: "block",
  content: "libraryFigure+",
  draggable: true,
  isolating: true,

  addOptions() {
    return { pickerUrl: null, addUrl: null }
  },

  parseHTML() {
    return [{ tag: "div.gallery" }]
  },

  renderHTML() {
    return ["div", { class: "gallery" }, 0]
  },

  addCommands() {
    return {
      insertGallery:
        () =>
        ({ editor }) => {
          const at = editor.state.selection.to
          pickPhotos(editor, this.options, { multiple: true }).then((picked) => {
            if (picked) insertBlock(editor, at, { type: "gallery", content: picked.map(figureContent) })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "gallery",
      groups: "media",
      button: buttons.text("Галерея"),
      command(editor) {
        editor.commands.insertGallery()
      },
    })
  },
})

/* A video page's address (or a player's, or the embed code) as the service's player address. */
export function embedUrl(input) {
  const pasted = input.trim()
  const fromCode = pasted.match(/src=["']([^"']+)["']/)
  let url
  try {
    url = new URL((fromCode ? fromCode[1] : pasted).replace(/&amp;/g, "&"))
  } catch {
    return null
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null
  const host = url.hostname.replace(/^(www\.|m\.)/, "")
  const youtubeId = /^[A-Za-z0-9_-]{6,20}$/
  if (host === "youtube.com" || host === "youtube-nocookie.com" || host === "youtu.be") {
    let id = null
    if (host === "youtu.be") id = url.pathname.slice(1)
    else if (url.pathname === "/watch") id = url.searchParams.get("v")
    else id = url.pathname.match(/^\/(?:embed|shorts|live)\/([^/]+)/)?.[1]
    if (!id || !youtubeId.test(id)) return null
    const start = (url.searchParams.get("t") || url.searchParams.get("start") || "").replace(/s$/, "")
    return `https://www.youtube-nocookie.com/embed/${id}${/^\d+$/.test(start) ? `?start=${start}` : ""}`
  }
  if (host === "rutube.ru") {
    const id = url.pathname.match(/^\/(?:video(?:\/private)?|play\/embed)\/([A-Za-z0-9]+)/)?.[1]
    if (!id) return null
    const key = url.searchParams.get("p")
    return `https://rutube.ru/play/embed/${id}${key ? `?p=${encodeURIComponent(key)}` : ""}`
  }
  if (host === "vk.com" || host === "vkvideo.ru" || host === "vk.ru") {
    let oid = url.searchParams.get("oid")
    let id = url.searchParams.get("id")
    const hash = url.searchParams.get("hash")
    const fromPath = (url.pathname + url.search).match(/video(-?\d+)_(\d+)/)
    if (url.pathname !== "/video_ext.php" && fromPath) [, oid, id] = fromPath
    if (!/^-?\d+$/.test(oid || "") || !/^\d+$/.test(id || "")) return null
    const params = new URLSearchParams({ oid, id })
    if (hash && /^[0-9a-f]+$/.test(hash)) params.set("hash", hash)
    return `https://vkvideo.ru/video_ext.php?${params}`
  }
  return null
}

const PROVIDERS = { "rutube.ru": "Rutube", "vkvideo.ru": "VK Видео", "vk.com": "VK Видео" }
const providerName = (src) => {
  try {
    const host = new URL(src).hostname
    return PROVIDERS[host] || "YouTube"
  } catch {
    return ""
  }
}

function askVideo(editor) {
  return new Promise((resolve) => {
    const { dialog, form } = dialogShell(editor, "Видео")
    const address = crel("input", { type: "text", name: "url", required: "required" })
    const title = crel("input", { type: "text", name: "title", maxLength: 200 })
    const error = crel("p", { className: "body-media-picker__status", role: "alert" })
    form.append(
      crel("label", { className: "body-media-picker__caption" }, [
        crel("span", { textContent: "Адрес видео на VK Видео, Rutube или YouTube" }),
        address,
      ]),
      crel("label", { className: "body-media-picker__caption" }, [
        crel("span", { textContent: "О чём видео (для незрячих читателей)" }),
        title,
      ]),
      error,
    )
    dialogButtons(form, "Вставить", () => {
      const src = embedUrl(address.value)
      if (!src) {
        error.textContent =
          "Это не адрес видео на VK Видео, Rutube или YouTube. Скопируйте адрес страницы видео или код для вставки."
        return false
      }
      resolve({ src, title: title.value.trim() || "Видео" })
      return true
    })
    dialog.addEventListener("close", () => resolve(null))
    dialog.showModal()
    address.focus()
  })
}

export const Video = Node.create({
  name: "video",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      src: { default: null },
      title: { default: "Видео" },
    }
  },

  parseHTML() {
    return [{ tag: "iframe[src]" }]
  },

  renderHTML({ node }) {
    return [
      "iframe",
      { src: node.attrs.src, title: node.attrs.title, allowfullscreen: "", loading: "lazy" },
    ]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = crel("div", { className: "body-media-video" }, [
        crel("span", { className: "body-media-video__badge", textContent: "▶" }),
        crel("strong", { textContent: `${providerName(node.attrs.src)}: ${node.attrs.title}` }),
        crel("span", { className: "body-media-video__src", textContent: node.attrs.src }),
      ])
      return { dom }
    }
  },

  addCommands() {
    return {
      insertVideo:
        () =>
        ({ editor }) => {
          const at = editor.state.selection.to
          askVideo(editor).then((video) => {
            if (video) insertBlock(editor, at, { type: "video", attrs: video })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "video",
      groups: "media",
      button: buttons.text("Видео"),
      command(editor) {
        editor.commands.insertVideo()
      },
    })
  },
})
