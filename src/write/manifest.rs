//! What backtrack wrote into an output folder, kept in its marker file: each
//! file's path and a hash of its bytes, a digest of the inputs that made
//! them, and the story files among those inputs with their hashes. The
//! next build into the folder compares against it, so that a file
//! whose bytes are the same is left alone (same inode, same mtime: `rsync -a`
//! and `aws s3 sync` upload only what changed), and a build whose inputs
//! are all as they were does nothing at all.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use crate::load::digest::Source;

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
    /// Digest of its inputs but the story files
    /// ([`crate::load::digest::Inputs::context`]).
    pub context: Option<u128>,
    /// Each file by its `/`-separated path under the folder, with its hash.
    pub files: BTreeMap<String, u128>,
    /// Each story file whose own pages the folder holds, by its path
    /// relative to the site's root.
    pub sources: BTreeMap<String, Source>,
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
            let hex = |text: &str| u128::from_str_radix(text, 16).ok();
            match first {
                "inputs" => manifest.inputs = hex(rest),
                "context" => manifest.context = hex(rest),
                "source" => {
                    let mut fields = rest.splitn(3, ' ');
                    let (file, listed, path) = (fields.next(), fields.next(), fields.next());
                    if let (Some(file), Some(listed), Some(path)) =
                        (file.and_then(hex), listed.and_then(hex), path)
                    {
                        let source = Source { file, listed };
                        manifest.sources.insert(path.to_owned(), source);
                    }
                }
                file => {
                    if let Some(hash) = hex(file) {
                        manifest.files.insert(rest.to_owned(), hash);
                    }
                }
            }
        }
        manifest
    }

    /// Writes the marker file's text to `out` (a manifest of 100,000
    /// stories is 30 MB of text: written as it is made, never held whole).
    pub fn write_to(&self, out: &mut impl io::Write) -> io::Result<()> {
        writeln!(out, "{HEADER}")?;
        if let Some(inputs) = self.inputs {
            writeln!(out, "inputs {inputs:032x}")?;
        }
        if let Some(context) = self.context {
            writeln!(out, "context {context:032x}")?;
        }
        // A path with a line break cannot be kept: it is written (or its
        // story's pages made) anew each time.
        let keepable = |path: &&String| !path.contains(['\n', '\r']);
        for (path, source) in self.sources.iter().filter(|(path, _)| keepable(path)) {
            let Source { file, listed } = source;
            writeln!(out, "source {file:032x} {listed:032x} {path}")?;
        }
        for (path, hash) in self.files.iter().filter(|(path, _)| keepable(path)) {
            writeln!(out, "{hash:032x} {path}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let manifest = Manifest {
            inputs: Some(hash(b"inputs")),
            context: Some(hash(b"context")),
            sources: [(
                "content/a story.md".to_owned(),
                Source {
                    file: hash(b"source"),
                    listed: hash(b"listed"),
                },
            )]
            .into(),
            files: [
                ("index.html".to_owned(), hash(b"home")),
                ("a story/index.html".to_owned(), hash(b"story")),
            ]
            .into_iter()
            .collect(),
        };
        let mut text = Vec::new();
        manifest.write_to(&mut text).expect("written to memory");
        let text = String::from_utf8(text).expect("UTF-8");
        assert_eq!(Manifest::parse(&text), manifest);
        assert_eq!(Manifest::parse("an old marker\n"), Manifest::default());
    }
}
