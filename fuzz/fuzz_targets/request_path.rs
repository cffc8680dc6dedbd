//! Any request path under either base path: resolving never panics, and a
//! page it names is a relative path with no segment that leaves the site,
//! and a redirect goes to the base path only (never to another host).
#![no_main]

use backtrack::serve::paths::{Resolved, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    for base in ["/", "/news/"] {
        match resolve(path, base) {
            Ok(Resolved::Page(page)) => {
                assert!(!page.starts_with('/'), "{path} -> {page}");
                for segment in page.split('/') {
                    assert!(
                        !segment.is_empty()
                            && segment != "."
                            && segment != ".."
                            && !segment.contains(['\\', ':', '\0']),
                        "{path} -> {page}"
                    );
                }
            }
            Ok(Resolved::Redirect(location)) => assert_eq!(location, base),
            Err(_) => {}
        }
    }
});
