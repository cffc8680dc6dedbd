//! How a command talks to the person at the terminal: whether in colour
//! (`NO_COLOR` and pipes turn it off), and how much it says besides errors
//! (`--quiet`, `--verbose`). Errors and warnings are always printed.

use std::fmt::Display;

/// How much a command prints besides its errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Nothing but errors, warnings and what the command is asked to print.
    Quiet,
    /// One line per step ("Built 3 stories ...").
    #[default]
    Normal,
    /// Each step's details too (the pages a rebuild rendered, each link checked).
    Verbose,
}

/// The terminal a command prints to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    /// Colour in diagnostics.
    pub color: bool,
    /// How much to say.
    pub verbosity: Verbosity,
}

impl Terminal {
    /// Prints a line about progress, unless quiet.
    pub fn say(&self, line: impl Display) {
        if self.verbosity != Verbosity::Quiet {
            println!("{line}");
        }
    }

    /// Prints a line of detail, only when verbose.
    pub fn detail(&self, line: impl Display) {
        if self.verbosity == Verbosity::Verbose {
            println!("{line}");
        }
    }
}
