// The home page's map of chapters, grouped by part, in teaching order.
import type { Chapter } from "./outline.js";

export function ChapterMap(chapters: Chapter[], parts: readonly string[]): HTMLElement {
  const root = document.createElement("div");
  root.className = "chapter-map";
  let number = 0;
  for (const part of parts) {
    const section = document.createElement("section");
    const heading = document.createElement("h3");
    heading.textContent = part;
    const list = document.createElement("ol");
    list.start = number + 1;
    for (const chapter of chapters.filter((c) => c.part === part)) {
      number += 1;
      const item = document.createElement("li");
      item.className = chapter.ready ? "chapter ready" : "chapter planned";
      const title = chapter.ready ? document.createElement("a") : document.createElement("span");
      title.className = "chapter-title";
      title.textContent = chapter.title;
      if (title instanceof HTMLAnchorElement) title.href = `./${chapter.path}`;
      const summary = document.createElement("span");
      summary.className = "chapter-summary";
      summary.textContent = chapter.ready ? chapter.summary : `${chapter.summary} (in preparation)`;
      item.append(title, summary);
      list.append(item);
    }
    section.append(heading, list);
    root.append(section);
  }
  return root;
}
