-- Numbered captions and cross-references for the Quarto-free render path.
-- Figures with an id "fig-..." become "ภาพที่ n", tables with "tbl-..." "ตารางที่ n";
-- a citation @fig-x / @tbl-x becomes the same words. Quarto does this itself (see _quarto.yml).
local fig_title = "ภาพที่"
local tbl_title = "ตารางที่"

-- The English edition (metadata lang: en) numbers "Figure n" and "Table n".
local function set_language(meta)
  if meta.lang and pandoc.utils.stringify(meta.lang):match("^en") then
    fig_title, tbl_title = "Figure", "Table"
  end
end
local labels = {}
local counts = { fig = 0, tbl = 0 }

local function prefix_caption(caption, text)
  local blocks = caption.long
  local prefix = { pandoc.Strong({ pandoc.Str(text) }), pandoc.Space() }
  if #blocks == 0 then
    caption.long = { pandoc.Plain(prefix) }
  else
    local first = blocks[1]
    local inlines = first.content
    for i = #prefix, 1, -1 do table.insert(inlines, 1, prefix[i]) end
    first.content = inlines
  end
  return caption
end

local function number(kind, id)
  counts[kind] = counts[kind] + 1
  -- a no-break space: "Figure 4" / "ตารางที่ 4" never ends a line before its number
  local text = (kind == "fig" and fig_title or tbl_title) .. "\u{A0}" .. counts[kind]
  if id ~= "" then labels[id] = text end
  return text
end

local function figure(el)
  local id = el.identifier or ""
  if id:match("^fig%-") then
    el.caption = prefix_caption(el.caption, number("fig", id))
  end
  return el
end

local function tbl(el)
  local id = el.identifier or ""
  if id:match("^tbl%-") or #el.caption.long > 0 then
    el.caption = prefix_caption(el.caption, number("tbl", id))
  end
  return el
end

local function cite(el)
  local id = el.citations[1].id
  if labels[id] then return pandoc.Str(labels[id]) end
  return el
end

return {
  { Meta = set_language },
  { Figure = figure, Table = tbl },
  { Cite = cite },
}
