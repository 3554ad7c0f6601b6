/* Filters of a publications list (portfolio/filters.py writes the form and the entries'
   data-* facets). Free text matches every word in the title, authors and venue (case and
   accents ignored); year, type, topic and project match the facet. The view is kept in the
   URL query (?q=&year=&type=&topic=&project=), so it can be linked, reloaded and gone back to.
   Only shows and hides: without this script the page is the full list. */
(() => {
  "use strict";
  const FIELDS = ["q", "year", "type", "topic", "project"];
  const FACET = { year: "year", type: "type", topic: "topics", project: "projects" };
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function setUp(form) {
    const scope = form.closest("section") || document;
    const items = Array.from(scope.querySelectorAll("li[data-year]"), (li) => {
      const first = li.querySelector("p");  // title, authors, venue: not the buttons or tags
      return {
        li,
        text: fold(first ? first.textContent : li.textContent),
        year: li.dataset.year,
        type: li.dataset.type,
        topics: new Set(li.dataset.topics.split(" ").filter(Boolean)),
        projects: new Set(li.dataset.projects.split(" ").filter(Boolean)),
      };
    });
    const groups = Array.from(scope.querySelectorAll("section.portfolio-group"));
    const count = form.querySelector(".portfolio-filter-count");
    const status = form.querySelector(".portfolio-filter-status");
    const total = Number(count.dataset.total);
    const control = (name) => form.elements.namedItem(name);
    let announce = 0;

    function state() {
      const out = {};
      for (const name of FIELDS) out[name] = control(name).value.trim();
      return out;
    }

    function matches(item, s, words) {
      if (s.year && item.year !== s.year) return false;
      if (s.type && item.type !== s.type) return false;
      if (s.topic && !item.topics.has(s.topic)) return false;
      if (s.project && !item.projects.has(s.project)) return false;
      return words.every((w) => item.text.includes(w));
    }

    function apply(delay) {
      const s = state();
      const words = fold(s.q).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of items) {
        const hide = !matches(item, s, words);
        if (item.li.hidden !== hide) item.li.hidden = hide;
        if (!hide) shown += 1;
      }
      for (const group of groups) {
        const empty = !group.querySelector("li[data-year]:not([hidden])");
        if (group.hidden !== empty) group.hidden = empty;
      }
      const active = FIELDS.some((name) => s[name]);
      form.querySelector(".portfolio-filter-clear").disabled = !active;
      const noun = total === 1 ? "publication" : "publications";
      const text = !active
        ? `All ${total} ${noun} shown.`
        : shown
          ? `${shown} of ${total} ${noun} shown.`
          : `None of the ${total} ${noun} match; clear a filter to see more.`;
      count.textContent = text;
      // a screen reader is told once typing pauses, so that it reads one count
      clearTimeout(announce);
      if (delay) announce = setTimeout(() => { status.textContent = text; }, delay);
      else status.textContent = text;
      return s;
    }

    function save(s) {
      const params = new URLSearchParams(location.search);
      for (const name of FIELDS) {
        if (s[name]) params.set(name, s[name]);
        else params.delete(name);
      }
      const query = params.toString();
      history.replaceState(history.state, "", (query ? `?${query}` : location.pathname) + location.hash);
    }

    function load() {
      const params = new URLSearchParams(location.search);
      for (const name of FIELDS) {
        const el = control(name);
        const value = params.get(name) || "";
        if (el.tagName === "SELECT" && value && !Array.from(el.options).some((o) => o.value === value)) {
          el.value = "";  // a value this list does not have (an old link): ignored
        } else {
          el.value = value;
        }
      }
      apply(0);
    }

    // typing is announced once it pauses; a choice in a list at once
    form.addEventListener("input", (event) => save(apply(event.target.type === "search" ? 600 : 0)));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", () => {
      setTimeout(() => { save(apply(0)); control("q").focus(); });  // after the form has reset
    });
    // an entry's topic or project link applies that filter here
    scope.addEventListener("click", (event) => {
      const link = event.target.closest("a.portfolio-tag");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      const params = new URL(link.href).searchParams;
      event.preventDefault();
      for (const name of ["topic", "project"]) {
        if (params.has(name)) control(name).value = params.get(name);
      }
      save(apply(0));
      form.scrollIntoView({ block: "start" });
      control(params.has("topic") ? "topic" : "project").focus();
    });
    window.addEventListener("popstate", load);
    window.addEventListener("pageshow", (event) => { if (event.persisted) load(); });
    load();
  }

  document.querySelectorAll("form.portfolio-filters").forEach(setUp);
})();
