//! The shape of the code, checked: no source file over 600 lines, and no
//! module that imports a module importing it back, directly or through
//! others (a module's own submodules count as modules of their own).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const LONGEST_FILE: usize = 600;

/// Every module of the crate (`render::view`) with its source text.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(&src).ok()?.with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|last| last == "mod") {
                parts.pop();
            }
            if parts == ["main"] || parts == ["lib"] {
                return None;
            }
            let text = fs::read_to_string(entry.path()).ok()?;
            Some((parts.join("::"), text))
        })
        .collect()
}

/// The modules `text` names through `crate::` paths (the longest known one
/// of each path), including `use crate::{a, b::c}` groups.
fn imports(text: &str, known: &BTreeSet<&str>) -> BTreeSet<String> {
    // Comments (doc links among them) name modules without importing them.
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let end = rest
            .find(|c: char| {
                !(c.is_alphanumeric() || c == '_' || c == ':' || c == '{' || c == ',' || c == ' ')
            })
            .unwrap_or(rest.len());
        let path = &rest[..end];
        let paths: Vec<String> = match path.split_once('{') {
            Some((prefix, group)) => group
                .split(',')
                .map(|item| format!("{prefix}{}", item.trim()))
                .collect(),
            None => vec![path.trim().to_owned()],
        };
        for path in paths {
            let parts: Vec<&str> = path.split("::").filter(|part| !part.is_empty()).collect();
            if let Some(module) = (1..=parts.len())
                .rev()
                .map(|n| parts[..n].join("::"))
                .find(|candidate| known.contains(candidate.as_str()))
            {
                found.insert(module);
            }
        }
    }
    found
}

#[test]
fn no_source_file_is_over_600_lines() {
    for (module, text) in modules() {
        let lines = text.lines().count();
        assert!(lines <= LONGEST_FILE, "{module} has {lines} lines");
    }
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let graph: BTreeMap<&str, BTreeSet<String>> = modules
        .iter()
        .map(|(module, text)| {
            let mut uses = imports(text, &known);
            let text: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            // A parent reaches its submodules by their short names (`use view::X`).
            for child in known.iter().filter(|child| {
                child
                    .strip_prefix(module.as_str())
                    .is_some_and(|rest| rest.starts_with("::") && !rest[2..].contains("::"))
            }) {
                let name = &child[module.len() + 2..];
                if text.contains(&format!("use {name}::")) || text.contains(&format!("{name}::")) {
                    uses.insert((*child).to_owned());
                }
            }
            uses.remove(module);
            (module.as_str(), uses)
        })
        .collect();
    for start in graph.keys() {
        // Depth-first from `start`: reaching it again is a cycle.
        let mut stack: Vec<Vec<&str>> = vec![vec![start]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = *path.last().expect("non-empty");
            for next in graph.get(last).into_iter().flatten() {
                assert!(
                    next != start,
                    "import cycle: {} -> {start}",
                    path.join(" -> ")
                );
                if seen.insert(next.as_str()) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
}
