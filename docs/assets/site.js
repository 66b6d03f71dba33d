// The site's one script: keyboard fixes for two of Material's phone-size widgets and the search page
// (tests/test_keyboard.py), and closure notices that come down after their last day (tests/test_site.py).
(() => {
  // A closure notice (overrides/partials/announcements.html) shows until its last day. The site is rebuilt
  // each morning, but a copy served from a cache may be older: hide a notice whose day has passed.
  const today = new Date().toLocaleDateString("en-CA");  // YYYY-MM-DD, in the visitor's own time zone
  document.querySelectorAll(".clinic-announcement[data-until]").forEach(notice => {
    if (notice.dataset.until < today) notice.remove();
  });
  const banner = document.querySelector(".md-banner");
  if (banner && !banner.querySelector(".clinic-announcement")) banner.hidden = true;

  // "Open now" under the opening hours (render.render_open_now): from the hours, the closed days and the clinic's
  // time zone, by the clock of the visitor's device, so a page built in the morning is right all day.
  document.querySelectorAll("[data-open-now]").forEach(line => {
    const {hours, closed, timeZone} = JSON.parse(line.dataset.openNow);
    const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    const at = moment => Object.fromEntries(new Intl.DateTimeFormat("en-US", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "long", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23"}).formatToParts(moment).map(part => [part.type, part.value]));
    const shown = time => {  // 8 a.m., 5:30 p.m., noon (render.format_time)
      const [hour, minute] = time.split(":").map(Number);
      if (hour === 12 && minute === 0) return "noon";
      return `${hour % 12 || 12}${minute ? ":" + String(minute).padStart(2, "0") : ""} ${hour < 12 ? "a.m." : "p.m."}`;
    };
    const now = at(new Date());
    const clock = `${now.hour}:${now.minute}`;
    const today = days.indexOf(now.weekday);
    const dayAfter = n => {  // the clinic's date and weekday n days on (noon, clear of clock changes)
      const later = at(new Date(Date.UTC(+now.year, +now.month - 1, +now.day + n, 12) - 0));
      return {iso: `${later.year}-${later.month}-${later.day}`, weekday: days[(today + n) % 7]};
    };
    const open = n => {
      const day = dayAfter(n);
      return closed.includes(day.iso) ? [] : hours[day.weekday] || [];
    };
    const current = open(0).find(([opens, closes]) => opens <= clock && clock < closes);
    if (current) {
      line.textContent = `Open now. We close at ${shown(current[1])} today.`;
    } else {
      let text = "Closed now.";
      for (let n = 0; n < 60; n++) {
        const next = open(n).find(([opens]) => n > 0 || clock < opens);
        if (next) {
          const when = n === 0 ? "today" : n === 1 ? "tomorrow" : `on ${dayAfter(n).weekday}`;
          text = `Closed now. We open ${when} at ${shown(next[0])}`.replace(/([^.])$/, "$1.");
          break;
        }
      }
      line.textContent = text;
    }
    line.hidden = false;
  });

  // The one-line crisis bar says again what the crisis box says: hide it while the box is on screen
  // (wide screens, at the top of the page). On a phone the box is folded away until "More help" opens it.
  const crisisBar = document.querySelector(".crisis-bar");
  const crisisHelp = document.querySelector(".md-content .crisis-help");
  if (crisisBar && crisisHelp && "IntersectionObserver" in window) {
    new IntersectionObserver(([entry]) => crisisBar.classList.toggle("crisis-bar--beside-box", entry.isIntersecting))
      .observe(crisisHelp);
  }

  // The menu. Material opens it by ticking a hidden checkbox (#__drawer), which moves no focus: the
  // next Tab would land on the page behind the menu. Opening it from the keyboard moves focus to its
  // first link; Space opens it like Enter; Escape, or tabbing out of it, closes it.
  const drawer = document.getElementById("__drawer");
  const button = document.querySelector('label.md-header__button[for="__drawer"]');
  const menu = document.querySelector(".md-sidebar--primary");
  if (drawer && button && menu) {
    const close = () => {
      if (drawer.checked) drawer.click();
    };
    button.addEventListener("keydown", event => {
      if (event.key === " ") {
        event.preventDefault();
        button.click();
      }
    });
    drawer.addEventListener("change", () => {
      if (drawer.checked && document.activeElement === button) menu.querySelector("a[href]")?.focus();
    });
    document.addEventListener("keydown", event => {
      if (event.key === "Escape" && drawer.checked) {
        close();
        button.focus();
      }
    });
    menu.addEventListener("focusout", event => {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) close();
    });
  }

  // Only the search page (docs/search.md) has Material's search form: open search there, with focus in the
  // field, so typing searches at once. Material opens search when its field has focus.
  const query = document.forms.namedItem("search")?.elements.namedItem("query");
  query?.focus();

  // Crisis help in search (overrides/partials/search.html): while the search holds one of crisis.yml's
  // search_phrases, the crisis lines show above the results. Both are compared as plain words: any case,
  // no accents, apostrophes or hyphens ("Don't" is "dont", "self-harm" is "self harm").
  const crisisBox = document.querySelector(".crisis-search[data-phrases]");
  const results = document.querySelector(".md-search__scrollwrap");
  if (query && crisisBox && results) {
    const words = text => " " + text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
    const phrases = Object.values(JSON.parse(crisisBox.dataset.phrases)).flat().map(words);
    results.prepend(crisisBox);
    const check = () => {
      const typed = words(query.value);
      crisisBox.hidden = !phrases.some(phrase => typed.includes(phrase));
    };
    query.addEventListener("input", check);
    query.form.addEventListener("reset", () => setTimeout(check));
    check();
  }

  // Search. While it is open on a phone, Material locks page scrolling, and it unlocks 100 ms after
  // search closes. Leaving search with Tab therefore focuses the next link without scrolling to it:
  // scroll it into view once the page can scroll again.
  const search = document.getElementById("__search");
  const whenUnlocked = callback => document.body.hasAttribute("data-md-scrolllock")
    ? requestAnimationFrame(() => whenUnlocked(callback)) : callback();
  search?.addEventListener("change", () => {
    if (search.checked) return;
    setTimeout(() => whenUnlocked(() => {
      const focused = document.activeElement;
      if (focused && focused !== document.body && !focused.closest(".md-search")) {
        focused.scrollIntoView({block: "nearest"});
      }
    }), 120);
  });
})();
