//! What the preview server adds to HTML responses, and only to them (never
//! to stored pages): the live-reload script and, while the last rebuild
//! failed, an overlay with its diagnostics.

/// Where the reload events stream from (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__backtrack/events";

/// Listens for reload events: a stylesheet change swaps `<link>`s in place,
/// anything else reloads the page at the same scroll position. After the
/// server restarts it reconnects by itself and reloads. Once connected it
/// marks the page (`data-backtrack-reload="listening"` on `<html>`), which
/// is what browser tests wait for before saving.
const RELOAD_SCRIPT: &str = r#"<script>(() => {
  const key = "backtrack-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  let lost = false;
  function connect() {
    const events = new EventSource("__EVENTS__");
    events.addEventListener("open", () => {
      if (lost) { location.reload(); }
      document.documentElement.dataset.backtrackReload = "listening";
    });
    events.addEventListener("reload", () => {
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    });
    events.addEventListener("css", () => {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("backtrack-reload", Date.now());
        link.href = url.href;
      }
    });
    events.onerror = () => { lost = true; events.close(); setTimeout(connect, 300); };
  }
  connect();
})();</script>"#;

/// `html` with the reload script and, if `problems` is set, the overlay,
/// placed before `</body>` (or at the end).
pub fn inject(html: &[u8], problems: Option<&str>) -> Vec<u8> {
    let mut extra = RELOAD_SCRIPT.replace("__EVENTS__", EVENTS_PATH);
    if let Some(problems) = problems {
        extra.push_str(&overlay(problems));
    }
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn overlay(problems: &str) -> String {
    format!(
        "<div id=\"backtrack-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:70vh;\
         overflow:auto;z-index:2147483647;background:#1d1010;color:#ffdede;border-top:4px solid #e0453a;\
         font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;padding:12px 16px\">\
         <strong style=\"font:700 14px system-ui,sans-serif\">The last save did not build; \
         this is the last good version of the site.</strong>\
         <pre style=\"white-space:pre-wrap;margin:8px 0 0\">{}</pre></div>",
        crate::render::escape(problems)
    )
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_body_end_and_problems_are_escaped() {
        let page = b"<html><body><p>Hi</p></body></html>";
        let out =
            String::from_utf8(inject(page, Some("content/a.md:3:1 <script>"))).expect("utf-8");
        let script = out.find(EVENTS_PATH).expect("script injected");
        assert!(script < out.find("</body>").expect("body end kept"));
        assert!(out.contains("content/a.md:3:1 &lt;script&gt;"));
        assert!(!out.contains("3:1 <script>"));
    }
}
