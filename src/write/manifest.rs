//! What backtrack wrote into an output folder, kept in its marker file: each
//! file's path and a hash of its bytes, and a digest of the inputs that made
//! them. The next build into the folder compares against it, so that a file
//! whose bytes are the same is left alone (same inode, same mtime: `rsync -a`
//! and `aws s3 sync` upload only what changed), and a build whose inputs
//! are all as they were does nothing at all.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The first line of the marker file, for a person who opens it.
const HEADER: &str = "This directory is written by backtrack build, which updates it in place.";

/// A file's content hash (XXH3, 128 bits: not for security, for telling
/// an unchanged file from a changed one).
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The files of an output folder and the inputs they were made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Digest of every input of the build that wrote the folder.
    pub inputs: Option<u128>,
    /// Each file by its `/`-separated path under the folder, with its hash.
    pub files: BTreeMap<String, u128>,
}

impl Manifest {
    /// The manifest in `marker` (the folder's marker file); empty where the
    /// file is missing or was written by a backtrack that kept none.
    pub fn read(marker: &Path) -> Manifest {
        fs::read_to_string(marker)
            .map(|text| Manifest::parse(&text))
            .unwrap_or_default()
    }

    fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        for line in text.lines().skip(1) {
            let Some((first, rest)) = line.split_once(' ') else {
                continue;
            };
            if first == "inputs" {
                manifest.inputs = u128::from_str_radix(rest, 16).ok();
            } else if let Ok(hash) = u128::from_str_radix(first, 16) {
                manifest.files.insert(rest.to_owned(), hash);
            }
        }
        manifest
    }

    /// The marker file's text.
    pub fn to_text(&self) -> String {
        let mut text = String::with_capacity(64 + self.files.len() * 64);
        text.push_str(HEADER);
        text.push('\n');
        if let Some(inputs) = self.inputs {
            let _ = writeln!(text, "inputs {inputs:032x}");
        }
        for (path, hash) in &self.files {
            // A path with a line break cannot be kept: it is written anew each time.
            if !path.contains(['\n', '\r']) {
                let _ = writeln!(text, "{hash:032x} {path}");
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let manifest = Manifest {
            inputs: Some(hash(b"inputs")),
            files: [
                ("index.html".to_owned(), hash(b"home")),
                ("a story/index.html".to_owned(), hash(b"story")),
            ]
            .into_iter()
            .collect(),
        };
        assert_eq!(Manifest::parse(&manifest.to_text()), manifest);
        assert_eq!(Manifest::parse("an old marker\n"), Manifest::default());
    }
}
