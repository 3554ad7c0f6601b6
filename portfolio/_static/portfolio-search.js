/*
 * Portfolio search: Sphinx's index (searchindex.js), ranked for a research portfolio.
 *
 * Replaces Search._performSearch of Sphinx's searchtools.js (Sphinx 7.3 to 9), keeping
 * its index, query parsing, result display and summaries. What changes:
 *   - one result per page: a page's title and its sections fold into one entry;
 *   - every word must match, and a page scores the sum of its words (in the title
 *     counts three times a match in the text), so pages matching all words in their title
 *     come first;
 *   - a word that matches nothing is read as the nearest word of the index (one edit for
 *     words of 5 to 7 letters, two from 8), or else as the stem of a word one edit from it,
 *     so "transfomer" finds Transformer and "spikng" spiking, and the page says which word
 *     it used;
 *   - a year narrows: pages with known years (papers, projects) must have it;
 *   - projects, then the owner's papers, then related works rank above the pages that
 *     list them (home, publications, news).
 * The kind and years of each page come from the inline JSON #portfolio-search-meta.
 *
 * It also replaces Search.query's display, which adds one result every 5 ms and fetches
 * each result's page for its summary (a second for a word on every page of a large site):
 * the first screenful is drawn at once and the rest in one batch after it is painted; a
 * paper's or project's summary (its authors and venue, its tagline) comes with the page
 * (#portfolio-search-summaries), and only other pages are fetched for theirs, as Sphinx does.
 */
"use strict";

(() => {
  if (typeof Search === "undefined") return;

  const metaElement = document.getElementById("portfolio-search-meta");
  const META = metaElement ? JSON.parse(metaElement.textContent) : {};
  const KIND_WEIGHT = { project: 6, paper: 4, related: 2, list: -8 };
  const PROJECT_OFF_TOPIC = -4; // a project whose title holds none of the words
  const WORD_SCORE = { title: 15, text: 5, partialTitle: 7, partialText: 2 };
  const YEAR_SCORE = { exact: 15, span: 5 };
  const TYPO_FACTOR = 0.6; // a corrected word counts a little less than a typed one
  const YEAR = /^(19|20)\d\d$/;
  const NOTE_CLASS = "portfolio-search-note";
  const summariesElement = document.getElementById("portfolio-search-summaries");
  const SUMMARIES = summariesElement ? JSON.parse(summariesElement.textContent) : {};
  const FIRST_SCREEN = 15; // results drawn before the first paint

  const filesOf = (table, word) =>
    Object.prototype.hasOwnProperty.call(table, word)
      ? [].concat(table[word])
      : [];

  // Optimal string alignment distance (edits, swaps of neighbours), or max + 1 once above max.
  const distance = (a, b, max) => {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prevprev = null;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let rowMin = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d = Math.min(d, prevprev[j - 2] + 1);
        row.push(d);
        rowMin = Math.min(rowMin, d);
      }
      if (rowMin > max) return max + 1;
      prevprev = prev;
      prev = row;
    }
    return prev[b.length];
  };

  // The index words one edit away from a word once that is stemmed as the index is: the
  // index holds stems, so "spikng" (one letter from "spiking") is two edits from its stem
  // "spike", and only its corrections, stemmed, find it.
  const LETTERS = "abcdefghijklmnopqrstuvwxyz";
  const stemmedEdits = (word, index) => {
    if (typeof Stemmer === "undefined" || word.length < 5) return [];
    const stemmer = new Stemmer();
    const has = (table, term) => Object.prototype.hasOwnProperty.call(table, term);
    const found = new Set();
    const check = (candidate) => {
      const stem = stemmer.stemWord(candidate);
      if (stem !== word && (has(index.titleterms, stem) || has(index.terms, stem))) found.add(stem);
    };
    for (let i = 0; i <= word.length; i++) {
      const [head, tail] = [word.slice(0, i), word.slice(i)];
      for (const letter of LETTERS) {
        check(head + letter + tail); // a letter left out
        if (tail) check(head + letter + tail.slice(1)); // a letter mistyped
      }
      if (tail) check(head + tail.slice(1)); // a letter too many
      if (tail.length > 1) check(head + tail[1] + tail[0] + tail.slice(2)); // two swapped
    }
    return [...found];
  };

  // The index words nearest to a word that matched nothing (none for short words): the
  // nearest stems, or else the stems of the words one edit away.
  const nearest = (word, index) => {
    const direct = nearestStems(word, index);
    return direct.length ? direct : stemmedEdits(word, index);
  };

  const nearestStems = (word, index) => {
    const max = word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0;
    if (!max) return [];
    let best = max + 1;
    let found = [];
    const seen = new Set();
    for (const table of [index.titleterms, index.terms])
      for (const term of Object.keys(table)) {
        if (seen.has(term)) continue;
        seen.add(term);
        const d = distance(word, term, Math.min(best, max));
        if (d < best) [best, found] = [d, [term]];
        else if (d === best && d <= max) found.push(term);
      }
    return best <= max ? found : [];
  };

  // file -> score of one query word (its best match in that file), or an empty map;
  // the files that hold it in a title go into `titled`.
  const wordScores = (word, index, titled, factor = 1) => {
    const scores = new Map();
    const add = (files, score) =>
      files.forEach((f) => {
        scores.set(f, Math.max(scores.get(f) || 0, score * factor));
        if (score >= WORD_SCORE.partialTitle) titled.add(f);
      });
    const inTitles = filesOf(index.titleterms, word);
    const inText = filesOf(index.terms, word);
    add(inTitles, WORD_SCORE.title);
    add(inText, WORD_SCORE.text);
    if (word.length > 2) {
      // a part of a longer word ("matmul" in "matmulfree"), as Sphinx does
      if (!inTitles.length)
        for (const term of Object.keys(index.titleterms))
          if (term.includes(word)) add(filesOf(index.titleterms, term), WORD_SCORE.partialTitle);
      if (!inText.length)
        for (const term of Object.keys(index.terms))
          if (term.includes(word)) add(filesOf(index.terms, term), WORD_SCORE.partialText);
    }
    return scores;
  };

  const collate = new Intl.Collator().compare; // String.localeCompare, made once

  const normalise = (text) =>
    text.toLowerCase().replace(/[^\p{Letter}\p{Number}]+/gu, " ").trim();

  // [title, normalised title, places] of every title, normalised once per index
  let titlesCache = null;
  const normalisedTitles = (alltitles) => {
    if (!titlesCache || titlesCache.of !== alltitles)
      titlesCache = {
        of: alltitles,
        rows: Object.entries(alltitles).map(([title, places]) => [title, normalise(title), places]),
      };
    return titlesCache.rows;
  };

  const showNote = (text) => {
    const out = document.getElementById("search-results");
    if (!out || !Search.output) return;
    const note = document.createElement("p");
    note.className = NOTE_CLASS;
    note.textContent = text;
    out.insertBefore(note, Search.output);
  };

  Search._performSearch = (query, searchTerms, excludedTerms, highlightTerms) => {
    const index = Search._index;
    const { docnames, filenames, titles, alltitles } = index;
    const progress = document.getElementById("search-progress");
    if (progress) progress.textContent = "";

    const years = new Set(splitQuery(query).filter((t) => YEAR.test(t)).map(Number));
    const phrase = normalise(
      splitQuery(query).filter((t) => !YEAR.test(t)).join(" "),
    );

    // each word's scores; a word that matches nothing is replaced by its nearest words
    const perWord = [];
    const corrected = [];
    const titled = new Set();
    for (const word of [...searchTerms]) {
      let scores = wordScores(word, index, titled);
      if (!scores.size) {
        const near = nearest(word, index);
        scores = new Map();
        for (const term of near)
          for (const [f, s] of wordScores(term, index, titled, TYPO_FACTOR))
            scores.set(f, Math.max(scores.get(f) || 0, s));
        if (near.length) {
          corrected.push([word, near]);
          searchTerms.delete(word);
          near.forEach((term) => {
            searchTerms.add(term);
            highlightTerms.add(term);
          });
        }
      }
      perWord.push(scores);
    }

    // pages holding every word, scored by the sum of their words
    const pageScore = new Map();
    if (perWord.length) {
      const [first, ...rest] = perWord;
      for (const [file, score] of first) {
        let total = score;
        for (const scores of rest) {
          if (!scores.has(file)) {
            total = null;
            break;
          }
          total += scores.get(file);
        }
        if (total !== null) pageScore.set(file, total);
      }
    } else if (years.size) {
      // only a year: the pages of that year
      docnames.forEach((_, file) => pageScore.set(file, 0));
    }
    for (const word of excludedTerms)
      for (const table of [index.terms, index.titleterms])
        filesOf(table, word).forEach((f) => pageScore.delete(f));

    // a section whose title holds the whole query: the page's result points at it
    const anchors = new Map();
    if (phrase)
      for (const [title, normalised, places] of normalisedTitles(alltitles)) {
        if (!normalised.includes(phrase)) continue;
        for (const [file, id] of places) {
          if (!pageScore.has(file)) continue;
          const isPageTitle = titles[file] === title;
          if (!isPageTitle && !anchors.has(file)) anchors.set(file, [title, id]);
          pageScore.set(file, pageScore.get(file) + (isPageTitle ? 2 : 1) * WORD_SCORE.title);
        }
      }

    const results = [];
    for (const [file, score] of pageScore) {
      const [kind, ...pageYears] = META[docnames[file]] || ["page"];
      // a project ranks high for what it is about (its title), not for the names in the
      // list of its papers, where its papers are the better answer
      let total = score + (KIND_WEIGHT[kind] || 0);
      if (kind === "project" && !titled.has(file)) total += PROJECT_OFF_TOPIC;
      if (years.size) {
        if (!pageYears.length) {
          if (!perWord.length) continue; // a year alone lists dated pages only
        } else if (!pageYears.some((y) => years.has(y))) continue;
        // a paper of that year is the answer; a project active that year, a weaker one
        else total += kind === "project" ? YEAR_SCORE.span : YEAR_SCORE.exact;
      }
      const [section, id] = anchors.get(file) || [null, null];
      results.push([
        docnames[file],
        section ? `${titles[file]} > ${section}` : titles[file],
        section && id ? `#${id}` : "",
        null,
        total,
        filenames[file],
        section ? SearchResultKind.title : SearchResultKind.text,
      ]);
    }
    // best last: the display takes results from the end; ties: newer first, then by title
    const newest = new Map(results.map((r) => [r, Math.max(0, ...(META[r[0]] || []).slice(1))]));
    results.sort(
      (a, b) => a[4] - b[4] || newest.get(a) - newest.get(b) || collate(b[1], a[1]),
    );

    for (const [word, near] of corrected)
      showNote(`Nothing matched “${word}”; showing results for “${near.join("”, “")}”.`);
    return results;
  };
  // -- display ---------------------------------------------------------------------
  // searchtools.js's own display helpers (top-level consts, shared by classic scripts)
  const sphinxDisplay =
    typeof _displayItem === "function" && typeof _finishSearch === "function";
  if (!sphinxDisplay || typeof Search._parseQuery !== "function") return;

  const highlight = (element, terms) => {
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      terms.forEach((term) => _highlightText(element, term, "highlighted"));
  };

  // One result as _displayItem draws it, with the summary that came with the page.
  const resultItem = (item, summary, highlightTerms) => {
    const [docName, title, anchor, , score, , kind] = item;
    const li = document.createElement("li");
    li.classList.add(`kind-${kind}`);
    const link = li.appendChild(document.createElement("a"));
    const page =
      DOCUMENTATION_OPTIONS.BUILDER === "dirhtml"
        ? document.documentElement.dataset.content_root +
          `${docName}/`.replace(/(^|\/)index\/$/, "$1")
        : docName + DOCUMENTATION_OPTIONS.LINK_SUFFIX;
    link.href = page + anchor;
    link.dataset.score = score;
    link.textContent = title;
    if (DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY) {
      const context = li.appendChild(document.createElement("p"));
      context.className = "context";
      context.textContent = summary;
      highlight(context, highlightTerms);
    }
    return li;
  };

  // The results, added to the list in one insertion (one layout, not one per result).
  // A page without a summary of its own is drawn by _displayItem, which appends to
  // Search.output and fetches the page for a summary: it appends to the batch instead.
  const draw = (items, searchTerms, highlightTerms) => {
    const list = Search.output;
    const batch = document.createDocumentFragment();
    Search.output = batch;
    try {
      for (const item of items) {
        const summary = SUMMARIES[item[0]];
        if (summary === undefined || item[2]) _displayItem(item, searchTerms, highlightTerms);
        else batch.appendChild(resultItem(item, summary, highlightTerms));
      }
    } finally {
      Search.output = list;
    }
    list.appendChild(batch);
  };

  Search.query = (query) => {
    const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] =
      Search._parseQuery(query);
    const results = Search._performSearch(
      searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms,
    ).reverse(); // best first
    draw(results.slice(0, FIRST_SCREEN), searchTerms, highlightTerms);
    if (results.length <= FIRST_SCREEN) {
      _finishSearch(results.length);
      return;
    }
    // the rest in one batch, once the first screenful is on screen
    requestAnimationFrame(() =>
      setTimeout(() => {
        draw(results.slice(FIRST_SCREEN), searchTerms, highlightTerms);
        _finishSearch(results.length);
      }, 0),
    );
  };
})();
