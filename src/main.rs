//! The `backtrack` command line: parse arguments, call the library, print
//! what happened, and choose the exit code (0 built, 1 the content or the
//! disk is wrong, 2 backtrack was called wrong). Only this file ends the process.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use backtrack::init::{self, InitOptions, Written};
use backtrack::new::{self, NewStory};
use backtrack::pipeline::{self, BuildError, Options};
use backtrack::progress::Progress;
use backtrack::review::{self, CheckOptions, Limits};
use backtrack::schema::{self, Document};
use backtrack::serve::{self, ServeOptions};
use backtrack::terminal::{Terminal, Verbosity};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// mimalloc: a build allocates many short strings on every core, where it
/// beats the system allocator clearly (bench/README.md has the figures).
/// Its v2 line (Cargo.toml) keeps peak memory lower than v3. It asks for
/// transparent huge pages: memory the process touches first costs a page
/// fault per 2 MiB instead of per 4 KiB, which on a virtual machine is most
/// of the cost of fresh memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns annotated news stories into explainer pages.
#[derive(Parser)]
#[command(name = "backtrack", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing but errors, warnings and what the command exists to print.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print the details of each step too.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Serve the site on localhost from memory; with --watch, rebuild and reload on every save.
    Serve(ServeArgs),
    /// Find every problem a build would refuse, every broken link and likely mistakes, writing nothing.
    Check(CheckArgs),
    /// Start a new site: write site.toml and a first story.
    Init {
        /// Where to create the site.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also copy the built-in templates and stylesheet in, to customise them.
        #[arg(long)]
        templates: bool,
        /// Add the site's files to a folder that is not empty (files already there are kept).
        #[arg(long)]
        force: bool,
    },
    /// Start a story: write content/<slug>.md with its front matter to fill in; print its path.
    New {
        /// The story's title; the file name is made from it.
        title: String,
        /// A folder under content/ to put the story in (e.g. 2024/politics).
        #[arg(long)]
        section: Option<PathBuf>,
        /// The site's folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the JSON Schema of a story's front matter, site.toml or people.toml, for editors.
    Schema {
        /// Which file's schema.
        #[arg(value_enum, default_value = "story")]
        document: SchemaDocument,
    },
    /// Print a shell completion script (e.g. `backtrack completions bash > /etc/bash_completion.d/backtrack`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// The files `backtrack schema` describes.
#[derive(Clone, Copy, ValueEnum)]
enum SchemaDocument {
    /// A story's front matter.
    Story,
    /// site.toml.
    Site,
    /// people.toml.
    People,
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder (the one with site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Build drafts too.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's (e.g. for a preview deploy).
    #[arg(long)]
    base_url: Option<String>,
    /// Keep the output current: rebuild on every change.
    #[arg(long)]
    watch: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also ask every `source` and body link's server whether it is still there.
    #[arg(long)]
    external: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Rebuild on every change and reload open pages.
    #[arg(long)]
    watch: bool,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

impl BuildArgs {
    fn options(&self) -> Options {
        Options {
            root: self.site.root.clone(),
            output: self
                .output
                .clone()
                .unwrap_or_else(|| self.site.root.join("public")),
            base_url: self.base_url.clone(),
            drafts: self.site.drafts,
        }
    }
}

/// Exit code for content or IO problems.
const CONTENT_WRONG: u8 = 1;
/// Exit code for being called wrong (as clap uses for bad arguments).
const CALLED_WRONG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let terminal = Terminal {
        color,
        verbosity: match (cli.quiet, cli.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        },
    };
    match cli.command {
        Command::Build(args) if args.watch => {
            finish(backtrack::build_watch::run(&args.options(), terminal))
        }
        Command::Build(args) => build(&args.options(), terminal),
        Command::Check(args) => check_site(&args, terminal),
        Command::Serve(args) => finish(serve::run(ServeOptions {
            site: Options {
                output: args.site.root.join("public"),
                root: args.site.root,
                base_url: None,
                drafts: args.site.drafts,
            },
            interface: args.interface,
            port: args.port,
            watch: args.watch,
            open: args.open,
            terminal,
        })),
        Command::Init {
            dir,
            templates,
            force,
        } => start_site(
            &InitOptions {
                dir: &dir,
                templates,
                force,
            },
            terminal,
        ),
        Command::New {
            title,
            section,
            root,
        } => match new::story(&NewStory {
            root: &root,
            title: &title,
            section: section.as_deref(),
        }) {
            Ok(path) => {
                println!("{}", shown(&path));
                ExitCode::SUCCESS
            }
            Err(error) => report(&error, terminal.color),
        },
        Command::Schema { document } => {
            println!(
                "{}",
                schema::json(match document {
                    SchemaDocument::Story => Document::Story,
                    SchemaDocument::Site => Document::Site,
                    SchemaDocument::People => Document::People,
                })
            );
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "backtrack",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

fn start_site(options: &InitOptions, terminal: Terminal) -> ExitCode {
    match init::init(options) {
        Ok(written) => {
            for file in written {
                match file {
                    Written::Wrote(path) => terminal.say(format_args!("wrote {}", shown(&path))),
                    Written::Kept(path) => {
                        terminal.say(format_args!("kept {} (already there)", shown(&path)))
                    }
                }
            }
            terminal.say(format_args!(
                "Now run: backtrack build --root {}",
                options.dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(CALLED_WRONG)
        }
    }
}

/// A path as the author would type it: without a leading `./`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// `serve` and `build --watch` end only on Ctrl-C or when they cannot start.
fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(CALLED_WRONG)
        }
    }
}

fn build(options: &Options, terminal: Terminal) -> ExitCode {
    let progress = Progress::on_stderr(terminal.verbosity == Verbosity::Quiet);
    let built = pipeline::build(options, &progress);
    drop(progress);
    match built {
        Ok(summary) => {
            terminal.detail(format_args!(
                "{} files written from {}",
                summary.files,
                shown(&options.root)
            ));
            terminal.say(format_args!("{summary} -> {}/", shown(&options.output)));
            ExitCode::SUCCESS
        }
        Err(error) => report(&error, terminal.color),
    }
}

fn check_site(args: &CheckArgs, terminal: Terminal) -> ExitCode {
    let options = CheckOptions {
        site: Options {
            output: args.site.root.join("public"),
            root: args.site.root.clone(),
            base_url: None,
            drafts: args.site.drafts,
        },
        external: args.external.then(Limits::default),
    };
    let findings = match review::check(&options, terminal) {
        Ok(findings) => findings,
        Err(error) => return report(&error, terminal.color),
    };
    let (errors, warnings) = (findings.errors(), findings.warnings());
    eprint!("{}", findings.diagnostics.render(terminal.color));
    let mut checked = format!(
        "Checked {}, {} and {} links",
        pipeline::plural(findings.stories, "story"),
        pipeline::plural(findings.pages, "page"),
        findings.links
    );
    if args.external {
        checked.push_str(&format!(", {} external", findings.external));
    }
    terminal.say(format_args!(
        "{checked}: {}, {}",
        pipeline::plural(errors, "error"),
        pipeline::plural(warnings, "warning")
    ));
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(CONTENT_WRONG)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a failed build's problems and picks its exit code.
fn report(error: &BuildError, color: bool) -> ExitCode {
    match error {
        BuildError::Content(diagnostics) => {
            eprint!("{}", diagnostics.render(color));
            eprintln!("error: {error}; nothing was written");
            ExitCode::from(CONTENT_WRONG)
        }
        BuildError::Usage(_) => {
            eprintln!("error: {error}");
            ExitCode::from(CALLED_WRONG)
        }
        BuildError::Io(_) => {
            eprintln!("error: {error}");
            ExitCode::from(CONTENT_WRONG)
        }
    }
}
