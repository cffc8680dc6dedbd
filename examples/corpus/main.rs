//! The benchmark corpus: N synthetic news stories, the same for a given seed,
//! written as a backtrack site or as a Hugo site that holds the same stories,
//! so that `bench/compare.sh` compares like with like.
//!
//! ```text
//! cargo run --release --example corpus -- DIR --stories 10000 --seed 42 --flavor backtrack
//! cargo run --release --example corpus -- DIR --stories 10000 --seed 42 --flavor hugo
//! ```
//!
//! Story `i` depends only on the seed and `i` (each has a random generator of
//! its own), so a corpus of 1,000 stories is the first 1,000 of one of 10,000.
//! People come from a fixed pool of 26 × 26 names, so at 10,000 stories each
//! person page spans dozens of stories. A story has 1 to 5 tags, 2 to 6
//! timeline statements (about half by a speaker already quoted, most of those
//! walking back an earlier one, half or full), 1 to 4 reactions with stances
//! (most with a time), and a 600 to 1,200 word body: `##`/`###` headings,
//! one list, one blockquote, links, emphasis, inline code and `@id`
//! annotations of a statement and a reaction.
//!
//! The Hugo site shows each story's tags, body, timeline and reactions on its
//! page, the 20 newest on the home page and every story in a paginated
//! section (20 a page, as backtrack's default); it has no person or tag pages,
//! feed or JSON export, so Hugo does less work than backtrack on it.

mod generate;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::Parser;
use generate::Flavor;

/// The command line.
#[derive(Parser)]
#[command(about = "Writes a deterministic synthetic corpus of news stories")]
struct Args {
    /// The folder to write (created; must be empty unless --force).
    dir: PathBuf,
    /// How many stories.
    #[arg(long, default_value_t = 1000)]
    stories: usize,
    /// The same seed gives the same stories, byte for byte.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The site's kind.
    #[arg(long, value_enum, default_value = "backtrack")]
    flavor: Flavor,
    /// Delete DIR first if it holds anything.
    #[arg(long)]
    force: bool,
}

fn prepare(dir: &Path, force: bool) -> anyhow::Result<()> {
    let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        if !force {
            bail!("{} is not empty (--force replaces it)", dir.display());
        }
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    prepare(&args.dir, args.force)?;
    let words = generate::write(&args.dir, args.stories, args.seed, args.flavor)?;
    println!(
        "{}: {} stories, {words} words of body (seed {})",
        args.dir.display(),
        args.stories,
        args.seed
    );
    Ok(())
}
