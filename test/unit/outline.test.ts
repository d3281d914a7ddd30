// The course outline drives the sidebar and the home page: check it against the files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { CHAPTERS, PARTS, sidebarPages } from "../../components/course/outline.js";

const src = new URL("../../src/", import.meta.url);

test("a chapter is marked ready exactly when its page exists", () => {
  for (const chapter of CHAPTERS) {
    assert.equal(existsSync(new URL(`${chapter.path}.md`, src)), chapter.ready, `${chapter.path}: ready is ${chapter.ready}`);
  }
});

test("the sidebar lists every ready chapter once, in teaching order", () => {
  const listed = sidebarPages().flatMap((section) => section.pages.map((page) => page.path));
  const ready = CHAPTERS.filter((c) => c.ready).map((c) => `/${c.path}`);
  assert.deepEqual(listed, ready);
  assert.ok(listed.length >= 1);
});

test("every chapter belongs to a known part and parts appear in order", () => {
  let lastPart = 0;
  for (const chapter of CHAPTERS) {
    const part = PARTS.indexOf(chapter.part as (typeof PARTS)[number]);
    assert.ok(part >= 0, chapter.part);
    assert.ok(part >= lastPart, `${chapter.path} is out of order`);
    lastPart = part;
  }
});

test("the home page's table links each ready chapter and no missing one", () => {
  const home = readFileSync(new URL("index.md", src), "utf8");
  for (const chapter of CHAPTERS) {
    const linked = home.includes(`](./${chapter.path})`);
    if (chapter.ready) assert.ok(linked, `home does not link ${chapter.path}`);
    else assert.ok(!linked, `home links ${chapter.path}, which has no page yet`);
  }
});
