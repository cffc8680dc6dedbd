//! Request paths → page paths, by segments and never by string joining: the
//! path is decoded once, and any segment that could step outside the site
//! (`..`, `.`, an empty segment, `\`, `:`, NUL) or is not UTF-8 is refused.
//! Only keys of the in-memory page map are ever looked up, so nothing on
//! disk can be reached; the checks keep the answers honest and predictable.

use percent_encoding::percent_decode_str;

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A page or file, by its output path ("story/index.html").
    Page(String),
    /// Another place to ask: a folder asked for without its trailing slash,
    /// or the server's root when the site lives under a path (`/news/`).
    Redirect(String),
}

/// Why a path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Malformed or unsafe: answer 400.
    BadPath,
    /// Outside the site's base path: answer 404.
    Outside,
}

/// Resolves the raw (still percent-encoded) `path` of a request under the
/// site's `base_path` ("/" or "/news/").
pub fn resolve(path: &str, base_path: &str) -> Result<Resolved, Refused> {
    let Some(rest) = path.strip_prefix(base_path) else {
        return if path == "/" || format!("{path}/") == base_path {
            Ok(Resolved::Redirect(base_path.to_owned()))
        } else {
            Err(Refused::Outside)
        };
    };
    if rest.is_empty() {
        return Ok(Resolved::Page("index.html".to_owned()));
    }
    let raw_segments: Vec<&str> = rest.split('/').collect();
    let last = raw_segments.len() - 1;
    let mut segments = Vec::with_capacity(raw_segments.len());
    for (index, raw) in raw_segments.iter().enumerate() {
        if raw.is_empty() && index == last {
            continue;
        }
        segments.push(decode_segment(raw)?);
    }
    let joined = segments.join("/");
    if rest.ends_with('/') {
        Ok(Resolved::Page(format!("{joined}/index.html")))
    } else {
        Ok(Resolved::Page(joined))
    }
}

fn decode_segment(raw: &str) -> Result<String, Refused> {
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refused::BadPath)?;
    let unsafe_segment = decoded.is_empty()
        || decoded == "."
        || decoded == ".."
        || decoded.contains(['/', '\\', ':', '\0']);
    if unsafe_segment {
        Err(Refused::BadPath)
    } else {
        Ok(decoded.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> Result<Resolved, Refused> {
        resolve(path, "/")
    }

    #[test]
    fn folders_map_to_their_index() {
        assert_eq!(page("/"), Ok(Resolved::Page("index.html".into())));
        assert_eq!(
            page("/a-story/"),
            Ok(Resolved::Page("a-story/index.html".into()))
        );
        assert_eq!(page("/style.css"), Ok(Resolved::Page("style.css".into())));
        assert_eq!(
            page("/caf%C3%A9/"),
            Ok(Resolved::Page("café/index.html".into()))
        );
    }

    #[test]
    fn traversal_and_odd_segments_are_refused() {
        for path in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/..%2fetc/passwd",
            "//etc/passwd",
            "/a/./b",
            "/%00",
            "/%ff",
            "/a%5cb",
            "/c:/windows",
            "/a//b",
        ] {
            assert_eq!(page(path), Err(Refused::BadPath), "{path}");
        }
    }

    #[test]
    fn a_subpath_site_lives_under_its_base() {
        assert_eq!(
            resolve("/news/", "/news/"),
            Ok(Resolved::Page("index.html".into()))
        );
        assert_eq!(
            resolve("/news", "/news/"),
            Ok(Resolved::Redirect("/news/".into()))
        );
        assert_eq!(
            resolve("/", "/news/"),
            Ok(Resolved::Redirect("/news/".into())),
            "the server's root leads to the site"
        );
        assert_eq!(resolve("/other/", "/news/"), Err(Refused::Outside));
    }
}
