// Observable Framework configuration for Unrolled.
// Everything the site needs is bundled from node_modules: no CDN, no font service.
import type MarkdownIt from "markdown-it";
import mathPlugin from "./components/markdown/math.js";
import editablePlugin from "./components/markdown/editable.js";
import { TEX_MACROS } from "./components/markdown/macros.js";
import { sidebarPages } from "./components/course/outline.js";

export default {
  title: "Unrolled",
  root: "src",
  // UNROLLED_OUTPUT lets a second build (e.g. a colleague's check) write elsewhere.
  output: process.env.UNROLLED_OUTPUT ?? "dist",
  // The sidebar, in teaching order. To add a chapter, add it to components/course/outline.ts.
  pages: sidebarPages(),
  pager: true,
  search: false,
  // Our stylesheet replaces the default theme's, which would fetch a web font from Google.
  style: "style.css",
  globalStylesheets: [],
  // One module on every page: self-hosted fonts, the tfjs runtime and its backend switcher.
  // A leading slash is resolved from src/ and written out as a relative URL, so the site works
  // from any sub-path.
  head: `<link rel="icon" href="/favicon.svg" type="image/svg+xml"><script type="module" src="/components/site.js"></script>`,
  header: `<div class="unrolled-header"><span class="unrolled-header-title">Unrolled · sequence models, live</span><span id="unrolled-runtime"></span></div>`,
  footer: "Unrolled. Built offline with Observable Framework, TensorFlow.js and KaTeX.",
  // $…$ math, and ```js editable``` cells that readers can edit and re-run in the browser.
  markdownIt: (md: MarkdownIt) => md.use(mathPlugin, { macros: TEX_MACROS }).use(editablePlugin),
};
