/* Fit every Plotly chart of the page to its width (alliances.report._page).
 *
 * At every width, a title wider than its chart wraps, and a legend beneath the plot goes
 * to the bottom of the figure, below the x-axis title, with room made for it (measured
 * once drawn): it never covers the axis title however many rows it wraps to.
 * In a narrow chart (below NARROW px) every legend goes beneath the plot (one per panel
 * of a chart of several panels under its panel), long subplot titles and category
 * labels wrap, and the chart's own narrow settings apply (`layout.meta.narrow`, Plotly
 * attribute strings and values, below `layout.meta.narrow_below` px if it says). Widening the window puts every chart back as it
 * was drawn; Plotly's own `responsive` resizing keeps the widths.
 */
(function () {
  "use strict";
  var NARROW = 760;
  var GAP = 8;
  var ruler = document.createElement("canvas").getContext("2d");

  function plain(text) {
    return String(text).replace(/<[^>]+>/g, "").replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function measure(text, size, family) {
    ruler.font = size + "px " + family;
    return ruler.measureText(plain(text)).width;
  }

  function wrapLine(line, size, family, width) {
    var lines = [];
    var current = "";
    line.split(" ").forEach(function (word) {
      var next = current ? current + " " + word : word;
      if (current && measure(next, size, family) > width) {
        lines.push(current);
        current = word;
      } else {
        current = next;
      }
    });
    if (current) lines.push(current);
    return lines;
  }

  // "Title<br><sup>subtitle</sup>" wrapped to `width` px, each line in its own size.
  function wrapText(text, size, family, width) {
    return String(text).split(/<br\s*\/?>/i).map(function (part) {
      var sup = part.match(/^\s*<sup>([\s\S]*)<\/sup>\s*$/i);
      if (sup) {
        return wrapLine(sup[1], size * 0.7, family, width).map(function (line) {
          return "<sup>" + line + "</sup>";
        }).join("<br>");
      }
      return wrapLine(part, size, family, width).join("<br>");
    }).join("<br>");
  }

  function copy(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  // The value at a Plotly attribute string ("yaxis2.domain", "annotations[1].y").
  function get(object, path) {
    return path.replace(/\[(\d+)\]/g, ".$1").split(".").reduce(function (node, key) {
      return node === undefined || node === null ? undefined : node[key];
    }, object);
  }

  function keys(full, pattern) {
    return Object.keys(full).filter(function (key) {
      return pattern.test(key) && full[key] && typeof full[key] === "object";
    });
  }

  function box(gd, selector) {
    var node = gd.querySelector(selector);
    if (!node) return null;
    var outer = gd.getBoundingClientRect();
    var rect = node.getBoundingClientRect();
    if (!rect.height) return null;
    return { top: rect.top - outer.top, bottom: rect.bottom - outer.top, height: rect.height };
  }

  // The y-axis domain of the panel whose traces go to `legend` (as `update` would set
  // it, if it does), or null.
  function panelOf(gd, legend, update) {
    var full = gd._fullLayout;
    var domain = null;
    (gd._fullData || []).forEach(function (trace) {
      if (domain || (trace.legend || "legend") !== legend) return;
      var name = (trace.yaxis || "y").replace("y", "yaxis");
      var axis = full[name];
      var set = update && update[name + ".domain"];
      if (set) domain = set.slice();
      else if (axis && axis.domain) domain = axis.domain.slice();
    });
    return domain;
  }

  // Where a legend is drawn: "below" the plot, "beside" it, "inside" it, or "none".
  function place(full, name) {
    var legend = full[name];
    if (!legend || legend.visible === false || full.showlegend === false) return "none";
    if (legend.yref === "container" || legend.y < 0) return "below";
    if (legend.x > 1 || legend.x < 0 || legend.y > 1) return "beside";
    return "inside";
  }

  function original(gd) {
    if (gd._fitted) return gd._fitted;
    var full = gd._fullLayout;
    var layout = gd.layout;
    var title = layout.title;
    var saved = {
      title: copy(typeof title === "string" ? { text: title } : title) || {},
      margin: { t: full.margin.t, b: full.margin.b, l: full.margin.l, r: full.margin.r },
      height: full.height,
      styleHeight: gd.style.height,
      holderHeight: gd.parentElement ? gd.parentElement.style.height : "",
      legends: {},
      places: {},
      notes: (layout.annotations || []).map(function (note) { return note.text; }),
      axes: {},
      narrow: copy((layout.meta || {}).narrow) || {},
      narrowBelow: (layout.meta || {}).narrow_below || NARROW,
      kept: {},
      right: keys(full, /^yaxis\d*$/).some(function (key) { return full[key].side === "right"; }),
      width: null
    };
    keys(full, /^legend\d*$/).forEach(function (name) {
      saved.legends[name] = copy(layout[name]) || {};
      saved.places[name] = place(full, name);
    });
    saved.xtitles = {};
    keys(full, /^xaxis\d*$/).forEach(function (name) {
      var text = get(layout, name + ".title.text");
      if (typeof text === "string" && text) saved.xtitles[name] = text;
    });
    keys(full, /^yaxis\d*$/).forEach(function (name) {
      var axis = full[name];
      if (axis.type === "category" && axis._categories && axis.showticklabels !== false) {
        saved.axes[name] = {
          categories: axis._categories.slice(),
          size: axis.tickfont.size,
          family: axis.tickfont.family
        };
      }
    });
    Object.keys(saved.narrow).forEach(function (path) {
      saved.kept[path] = copy(get(layout, path));
    });
    var domains = new Set(Object.keys(saved.legends).map(function (name) {
      var domain = panelOf(gd, name);
      return domain ? domain.join() : name;
    }));
    saved.panels = domains.size > 1;
    gd._fitted = saved;
    return saved;
  }

  // The chart's element and the one Plotly's HTML wraps it in, which has a height too.
  function setHeight(gd, height, holder) {
    gd.style.height = height;
    if (gd.parentElement && gd.parentElement.style.height) {
      gd.parentElement.style.height = holder;
    }
  }

  // Subplot titles and x-axis titles centred on the plot, wrapped to the room on the
  // narrower side of the centre, twice; the px the x-axis titles' new lines need below.
  function wrapCentred(gd, saved, update) {
    var full = gd._fullLayout;
    var width = gd.clientWidth;
    var middle = full._size.l + full._size.w / 2;
    var centred = 2 * Math.min(middle, width - middle) - 16;
    var lower = 0;
    saved.notes.forEach(function (text, i) {
      var note = full.annotations[i];
      if (typeof text !== "string" || !note) return;
      var room = note.xanchor === "left" || note.xanchor === "right" ? width - 24 : centred;
      var wrapped = wrapText(text, note.font.size, note.font.family, room);
      if (wrapped !== text) update["annotations[" + i + "].text"] = wrapped;
    });
    Object.keys(saved.xtitles).forEach(function (name) {
      var font = full[name].title.font;
      var text = saved.xtitles[name];
      var wrapped = wrapText(text, font.size, font.family, centred);
      if (wrapped === text) return;
      update[name + ".title.text"] = wrapped;
      lower = Math.max(lower, Math.ceil((wrapped.split("<br>").length - 1) * font.size * 1.3));
    });
    return lower;
  }

  function fit(gd) {
    var full = gd._fullLayout;
    if (!full || !window.Plotly) return;
    var saved = original(gd);
    var width = gd.clientWidth;
    if (!width || saved.width === width) return;
    saved.width = width;
    var narrow = width < NARROW;
    var first = {
      "margin.t": saved.margin.t,
      "margin.b": saved.margin.b,
      "margin.l": saved.margin.l,
      "margin.r": saved.margin.r,
      height: saved.height,
      width: null,
      autosize: true
    };
    Object.keys(saved.narrow).forEach(function (path) {
      first[path] = width < saved.narrowBelow ? saved.narrow[path] : saved.kept[path];
    });
    var base = first.height;
    var top = narrow;
    var title = saved.title.text;
    if (title) {
      var font = full.title.font;
      var wrapped = wrapText(title, font.size, font.family, width - 24);
      first["title.text"] = wrapped;
      top = narrow || wrapped !== title;
      if (top) {
        first["title.xref"] = "container";
        first["title.x"] = narrow || saved.title.x === undefined ? 0.02 : saved.title.x;
        first["title.xanchor"] = "left";
        first["title.yref"] = "container";
        first["title.y"] = 1;
        first["title.yanchor"] = "top";
        first["title.pad.t"] = Math.max((saved.title.pad || {}).t || 0, 44);
      } else {
        ["xref", "x", "xanchor", "yref", "y", "yanchor"].forEach(function (key) {
          first["title." + key] = saved.title[key] === undefined ? null : saved.title[key];
        });
        first["title.pad.t"] = (saved.title.pad || {}).t || 0;
      }
    }
    saved.notes.forEach(function (text, i) {
      if (typeof text === "string") first["annotations[" + i + "].text"] = text;
    });
    Object.keys(saved.xtitles).forEach(function (name) {
      first[name + ".title.text"] = saved.xtitles[name];
    });
    var extra = 0;
    Object.keys(saved.axes).forEach(function (name) {
      var axis = saved.axes[name];
      if (!narrow) {
        first[name + ".tickmode"] = null;
        first[name + ".tickvals"] = null;
        first[name + ".ticktext"] = null;
        return;
      }
      var most = 1;
      var text = axis.categories.map(function (category) {
        var lines = wrapLine(String(category), axis.size, axis.family, width * 0.42);
        most = Math.max(most, lines.length);
        return lines.join("<br>");
      });
      first[name + ".tickmode"] = "array";
      first[name + ".tickvals"] = axis.categories;
      first[name + ".ticktext"] = text;
      if (most > 2) extra += axis.categories.length * (most - 2) * axis.size;
    });
    var bottom = [];
    var under = [];
    var moved = false;
    Object.keys(saved.legends).forEach(function (name) {
      first[name] = copy(saved.legends[name]);
      var where = saved.places[name];
      if (where === "none" || (!narrow && where !== "below")) return;
      // Plotly widens the left margin for a legend placed in the container's x
      var spec = { orientation: "h", xref: "paper", x: 0, xanchor: "left" };
      var panel = saved.panels ? panelOf(gd, name, first) : null;
      if (panel && panel[0] > 0.01) {
        spec.yref = "paper";
        spec.y = panel[0];
        spec.yanchor = "top";
        under.push(name);
      } else {
        spec.yref = "container";
        spec.y = 0;
        spec.yanchor = "bottom";
        bottom.push(name);
      }
      first[name] = Object.assign(copy(saved.legends[name]), spec);
      if (where === "beside") moved = true;
    });
    if (moved && first["margin.r"] === saved.margin.r) {
      first["margin.r"] = Math.min(saved.margin.r, saved.right ? 70 : 24);
    }
    if (extra) first.height = base = base + extra;
    setHeight(gd, saved.styleHeight, saved.holderHeight);
    window.Plotly.relayout(gd, first).then(function () {
      var second = {};
      var grow = 0;
      var lower = narrow ? wrapCentred(gd, saved, second) : 0;
      var titleBox = box(gd, ".g-gtitle");
      if (top && titleBox) {
        var above = 0;
        (full.annotations || []).forEach(function (note, i) {
          if (note.yref !== "paper" || note.y < 0.99) return;
          var text = second["annotations[" + i + "].text"] || note.text || "";
          above = Math.max(above, String(text).split("<br>").length * note.font.size * 1.3);
        });
        var needed = Math.ceil(titleBox.bottom + (above ? above + 14 : 28));
        if (needed > first["margin.t"]) {
          second["margin.t"] = needed;
          grow += needed - first["margin.t"];
        }
      }
      var tallest = 0;
      bottom.forEach(function (name) {
        var legendBox = box(gd, "g." + name);
        if (legendBox) tallest = Math.max(tallest, legendBox.height);
      });
      if (tallest || lower) {
        var b = Math.ceil(first["margin.b"] + lower + (tallest ? tallest + GAP : 0));
        second["margin.b"] = b;
        grow += b - first["margin.b"];
      }
      grow += 28 * under.length;
      if (!grow && base === saved.height) return undefined;
      second.height = base + grow;
      second.width = null;  // else Plotly fixes the width when it is given a height
      second.autosize = true;
      setHeight(gd, second.height + "px", second.height + "px");
      return window.Plotly.relayout(gd, second);
    }).catch(kept);
  }

  // A chart that cannot be fitted stays as drawn; the others are still fitted.
  function kept(error) {
    if (window.console) window.console.warn("a chart kept its drawn layout:", error);
  }

  function fitAll() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      try {
        fit(gd);
      } catch (error) {
        kept(error);
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(fitAll, 150);
  });
  if (document.readyState === "complete") fitAll();
  else window.addEventListener("load", fitAll);
})();
