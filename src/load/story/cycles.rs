//! Reversal cycles: entries whose `reverses` chain leads back to itself.

use std::collections::{HashMap, HashSet};

use crate::model::{Entry, ShortStr};

/// The ids of the entries whose `reverses` lead round in a circle, found in
/// one pass over the timeline (following each chain from every entry took
/// quadratic time: minutes for a 25,000-entry walk-back chain).
pub(super) fn entries_on_cycles<'a>(index: &HashMap<&'a str, &'a Entry>) -> HashSet<&'a str> {
    // An id in `walked` is on the current walk (false) or finished (true).
    let mut walked: HashMap<&str, bool> = HashMap::with_capacity(index.len());
    let mut on_cycles = HashSet::new();
    for &start in index.keys() {
        let mut walk = Vec::new();
        let mut current = Some(start);
        while let Some(id) = current {
            match walked.get(id) {
                Some(true) => break,
                Some(false) => {
                    let from = walk.iter().position(|on| *on == id).unwrap_or(0);
                    on_cycles.extend(&walk[from..]);
                    break;
                }
                None => {}
            }
            walked.insert(id, false);
            walk.push(id);
            current = index[id]
                .reverses
                .as_ref()
                .and_then(|(target, _)| index.get_key_value(target.as_str()))
                .map(|(target, _)| *target);
        }
        for id in walk {
            walked.insert(id, true);
        }
    }
    on_cycles
}

/// Follows `reverses` from `start`; returns the ids around a loop, if any.
pub(super) fn cycle_from(start: &Entry, index: &HashMap<&str, &Entry>) -> Option<Vec<ShortStr>> {
    let mut path = vec![start.id.clone()];
    let mut current = start;
    while let Some((next_id, _)) = &current.reverses {
        path.push(next_id.clone());
        if *next_id == start.id {
            return Some(path);
        }
        if path.len() > index.len() + 1 {
            return None;
        }
        current = index.get(next_id.as_str())?;
    }
    None
}
